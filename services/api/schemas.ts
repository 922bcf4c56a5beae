import { Type, type TSchema } from 'typebox';
import { EXTERNAL_ID_MAX_LENGTH, EXTERNAL_ID_PATTERN } from '../core/common/ids.ts';
import { MAX_AMOUNT } from '../core/common/money.ts';

/** RFC 9457 problem details with Lojal's stable `code` (docs/operations.md: Errors). */
export const Problem = Type.Object(
  {
    type: Type.String({ description: 'A URI naming the problem type' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable snake_case error code', examples: ['validation_failed'] }),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), {
        description: 'The offending fields, for validation_failed',
      }),
    ),
  },
  { $id: 'Problem', additionalProperties: true },
);

export const ProblemRef = Type.Ref('Problem');

/** Response schemas for the error statuses a route can answer with. */
export function problems(...statuses: number[]): Record<number, ProblemResponse> {
  const out: Record<number, ProblemResponse> = {};
  for (const status of statuses) {
    out[status] = {
      description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem details',
      ...(status === 429 ? { headers: RATE_LIMITED_HEADERS } : {}),
      content: { 'application/problem+json': { schema: ProblemRef } },
    };
  }
  return out;
}

interface ProblemResponse {
  description: string;
  headers?: Record<string, TSchema>;
  content: { 'application/problem+json': { schema: TSchema } };
}

/** D21: what a 429 says besides its body (docs/operations.md: Rate limits). */
const RATE_LIMITED_HEADERS = {
  'Retry-After': Type.Integer({ minimum: 1, description: 'Whole seconds until the next request is allowed' }),
};

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (validation_failed, invalid_json)',
  401: 'Missing or invalid credentials (unauthorized, signature_invalid, signature_expired)',
  403: 'Not allowed to this caller (as_of_in_future)',
  404: 'Not found (not_found)',
  409: 'Conflict (insufficient_points, idempotency_key_reused, hold_expired, ...)',
  410: 'An Idempotency-Key replayed after the member its response named was erased (member_erased)',
  412: 'If-Match names a version that is no longer current (precondition_failed)',
  413: 'Body too large (payload_too_large)',
  415: 'Content-Type not taken by this route (unsupported_media_type)',
  422: 'Understood but cannot be applied (currency_mismatch, out_of_range, ...)',
  429: 'Rate limited (rate_limited)',
};

export const Timestamp = Type.String({ format: 'date-time' });

/**
 * D1: an amount of money in minor units, up to 2^53 − 1: the largest integer JSON and JavaScript carry exactly
 * (the columns are 64-bit). Points are bounded the same way (`MAX_AMOUNT`).
 */
export const Money = (description?: string) => Type.Integer({ minimum: 0, maximum: MAX_AMOUNT, ...(description ? { description } : {}) });

export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code', examples: ['PLN'] });

/** The longest id a shop gives (core/common/ids.ts); app.ts sizes the router by it. */
export const ID_MAX_LENGTH = EXTERNAL_ID_MAX_LENGTH;

/** An id is not blank and holds no control character (core/common/ids.ts: compared exactly as sent). */
export const ID_PATTERN = EXTERNAL_ID_PATTERN;

/** An id the shop chose: a customer, order, line, refund, cart or event id. */
export const ExternalId = (options: { description?: string } = {}) =>
  Type.String({ minLength: 1, maxLength: ID_MAX_LENGTH, pattern: ID_PATTERN, ...options });

/** An id Lojal gave out (`rule_…`, `red_…`, `shop_…`, `key_…`), as a path names it. */
export const LojalId = Type.String({ minLength: 1, maxLength: 64, pattern: ID_PATTERN });

/**
 * A decimal setting with at most `places` digits after the point, checked exactly on the number's shortest decimal
 * form (validation.ts: `x-decimals`); `multipleOf` would divide in binary floating point and refuse 1.15.
 */
export const Decimal = (places: number, options: { minimum: number; maximum: number; description?: string }) =>
  Type.Number({
    ...options,
    'x-decimals': places,
    description: `${options.description ? `${options.description}; ` : ''}at most ${places} decimal places`,
  });

/**
 * A birthday: a real day from 1900-01-01 to today (validation.ts: `x-birthday`). PostgreSQL has no year 0, and a
 * day outside that range is a typing error rather than a birthday.
 */
export const Birthday = Type.String({ format: 'date', 'x-birthday': true, description: 'YYYY-MM-DD, from 1900-01-01 to today', examples: ['1990-05-17'] });
