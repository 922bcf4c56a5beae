import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError, type ErrorCode, type FieldError } from '../../core/common/errors.ts';
import { isConnectionFailure } from '../../db/tx.ts';
import { sendProblem } from '../problem.ts';
import { fieldErrors } from '../validation.ts';

/** Fastify's own error codes that are the client's fault, and the stable code each becomes. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_VALIDATION: 'validation_failed',
};

/** How long a client is asked to wait when the database cannot be reached (a restart or failover takes seconds). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * One error handler for the whole API: every failure leaves as problem+json with a stable code (docs/operations.md:
 * Errors). A 5xx says nothing but its request id; the details go to the log.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof DomainError) {
        const { errors, ...extra } = error.details;
        return sendProblem(reply, error.code, error.message, errors ? { errors, ...extra } : extra);
      }
      if (error.validation) {
        const errors = validationErrors(error);
        const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
        return sendProblem(reply, 'validation_failed', detail || error.message, { errors });
      }
      const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
      if (mapped) return sendProblem(reply, mapped, clientMessage(mapped, error, request));
      if (error instanceof SyntaxError || error.statusCode === 400) {
        return sendProblem(reply, 'invalid_json', 'The request body is not valid JSON');
      }
      if (error.statusCode === 429) return sendProblem(reply, 'rate_limited', 'Too many requests; slow down');
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        request.log.info({ err: error }, 'client error without a mapping');
        return sendProblem(reply, error.statusCode === 404 ? 'not_found' : 'validation_failed', error.message);
      }
      if (isConnectionFailure(error)) {
        // The database is gone for now (lost or refused connection, no pooled connection in time): not the client's
        // fault nor a bug. A 5xx rolls an idempotent request back, so the retry runs again.
        request.log.warn({ err: error }, 'database unavailable');
        reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
        return sendProblem(reply, 'service_unavailable', `The database cannot be reached just now; retry in a few seconds (request id ${request.id})`);
      }
      request.log.error({ err: error }, 'unhandled error');
      return sendProblem(reply, 'internal_error', `An unexpected error occurred; quote request id ${request.id}`);
    });

    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}`),
    );
  },
  { name: 'lojal-errors' },
);

/** The content types the route takes, as its schema names them (`consumes`, or per type bodies); JSON by default. */
function acceptedTypes(request: FastifyRequest): string {
  const schema = request.routeOptions.schema as { consumes?: string[]; body?: { content?: Record<string, unknown> } } | undefined;
  const types = schema?.consumes ?? Object.keys(schema?.body?.content ?? {});
  return types.length > 0 ? types.join(' or ') : 'application/json';
}

function validationErrors(error: FastifyError): FieldError[] {
  const context = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body');
  // Body fields are JSON Pointers into the body; other places say where they are (query/limit, params/id).
  return fieldErrors(error.validation ?? [], context === 'body' ? '' : context);
}

function clientMessage(code: ErrorCode, error: FastifyError, request: FastifyRequest): string {
  switch (code) {
    case 'payload_too_large':
      return 'The request body is larger than this server accepts';
    case 'unsupported_media_type':
      return `Unsupported Content-Type; send ${acceptedTypes(request)}`;
    case 'invalid_json':
      return 'The request body is not valid JSON';
    default:
      return error.message;
  }
}
