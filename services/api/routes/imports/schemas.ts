import { Type } from 'typebox';
import { EMAIL_MAX_LENGTH, IMPORT_MAX_LINES } from '../../../core/imports/import-rules.ts';
import { IMPORT_LINE_CODES } from '../../../core/imports/import-types.ts';
import { MAX_AMOUNT } from '../../../core/common/money.ts';
import { ExternalId, Timestamp } from '../../schemas.ts';

export const NDJSON = 'application/x-ndjson';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * One line of the body. The route reads lines with the import rules (core/imports/import-rules.ts), which check
 * exactly this (a unit test holds the two together), plus that `expiresAt` is in the future.
 */
export const ImportLine = Type.Object(
  {
    customerId: ExternalId({ description: "The shop's own customer id; one Lojal does not know becomes a member" }),
    email: Type.Optional(
      Nullable(Type.String({ format: 'email', maxLength: EMAIL_MAX_LENGTH, description: 'Kept (not verified) only when the line creates the member' })),
    ),
    points: Type.Integer({ minimum: 1, maximum: MAX_AMOUNT, description: 'Credited to `available`' }),
    expiresAt: Type.Optional(
      Nullable({ ...Timestamp, description: "In the future; absent or null: as the program's expiry policy dates points credited now" }),
    ),
    reference: ExternalId({ description: 'Unique per shop: the same reference again is a duplicate, not a second credit' }),
  },
  { description: `One JSON object a line (NDJSON), at most ${IMPORT_MAX_LINES.toLocaleString('en-US')} lines a request` },
);

export const ImportResult = Type.Object({
  applied: Type.Integer({ description: 'Lines credited now' }),
  duplicates: Type.Integer({ description: 'Lines whose reference was imported before with the same data: nothing more credited' }),
  membersCreated: Type.Integer({ description: 'Members created for customer ids Lojal did not know' }),
  errors: Type.Array(
    Type.Object({
      line: Type.Integer({ description: 'The line in the body, from 1, blank lines counted' }),
      code: Type.String({ enum: [...IMPORT_LINE_CODES] }),
      detail: Type.String(),
    }),
    { description: 'Lines not applied, in line order; the others were' },
  ),
});
