/**
 * Typed domain errors with stable codes. The API's one error handler maps them to problem+json; nothing else
 * decides a status code. Codes are part of the contract (docs/operations.md lists them): never rename one.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'invalid_json'
  | 'bad_request'
  | 'invalid_url'
  | 'request_timeout'
  | 'uri_too_long'
  | 'header_fields_too_large'
  | 'unsupported_media_type'
  | 'unauthorized'
  | 'forbidden'
  | 'as_of_in_future'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'insufficient_points'
  | 'idempotency_key_reused'
  | 'idempotency_request_in_progress'
  | 'signature_invalid'
  | 'signature_expired'
  | 'currency_mismatch'
  | 'out_of_range'
  | 'hold_expired'
  | 'member_erased'
  | 'payload_too_large'
  | 'precondition_failed'
  | 'rate_limited'
  | 'unprocessable'
  | 'unsupported_event_type'
  | 'unsubscribe_token_invalid'
  | 'feedback_token_invalid'
  | 'feedback_exists'
  | 'bonus_not_configured'
  | 'internal_error'
  | 'service_unavailable';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_failed: 400,
  invalid_json: 400,
  bad_request: 400,
  invalid_url: 400,
  request_timeout: 408,
  uri_too_long: 414,
  header_fields_too_large: 431,
  unsupported_media_type: 415,
  unauthorized: 401,
  forbidden: 403,
  as_of_in_future: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  insufficient_points: 409,
  idempotency_key_reused: 409,
  idempotency_request_in_progress: 409,
  signature_invalid: 401,
  signature_expired: 401,
  currency_mismatch: 422,
  out_of_range: 422,
  hold_expired: 409,
  member_erased: 410,
  payload_too_large: 413,
  precondition_failed: 412,
  rate_limited: 429,
  unprocessable: 422,
  unsupported_event_type: 422,
  unsubscribe_token_invalid: 400,
  feedback_token_invalid: 400,
  feedback_exists: 409,
  bonus_not_configured: 422,
  internal_error: 500,
  service_unavailable: 503,
};

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.status = STATUS_BY_CODE[code];
  }
}

export const notFound = (what: string): DomainError => new DomainError('not_found', `${what} not found`);

export const validationFailed = (errors: FieldError[]): DomainError =>
  new DomainError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });

/** D1: a valid request whose result (an award, a balance, a hold's value) would pass 2^53 − 1; nothing is written. */
export const outOfRange = (what: string): DomainError =>
  new DomainError('out_of_range', `${what} would pass 2^53 − 1 (9007199254740991), the largest whole number Lojal keeps exact`);
