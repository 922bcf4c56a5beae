import { Type, type TSchema } from 'typebox';

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
      content: { 'application/problem+json': { schema: ProblemRef } },
    };
  }
  return out;
}

interface ProblemResponse {
  description: string;
  content: { 'application/problem+json': { schema: TSchema } };
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (validation_failed, invalid_json)',
  401: 'Missing or invalid credentials (unauthorized, signature_invalid, signature_expired)',
  404: 'Not found (not_found)',
  409: 'Conflict (insufficient_points, idempotency_key_reused, hold_expired, ...)',
  413: 'Body too large (payload_too_large)',
  422: 'Understood but cannot be applied (currency_mismatch, ...)',
  429: 'Rate limited (rate_limited)',
};

export const Timestamp = Type.String({ format: 'date-time' });

export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code', examples: ['PLN'] });

/** The longest id a shop gives (customers, orders, lines, refunds, carts, events); app.ts sizes the router by it. */
export const ID_MAX_LENGTH = 128;

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
