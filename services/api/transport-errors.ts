import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../core/common/errors.ts';
import { problemBody, sendProblem } from './problem.ts';

/**
 * The failures that happen before a request reaches a route, and so before the error handler of plugins/errors.ts:
 * the router's (a malformed path, a path segment too long) and the HTTP server's own (a request it cannot parse).
 * They leave as problem+json with a stable code too (docs/operations.md: Errors).
 */

/** Fastify's `frameworkErrors`: the router refused the path. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.header('x-request-id', request.id);
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return sendProblem(reply, 'invalid_url', 'The path is not a valid URL: malformed percent-encoding');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return sendProblem(reply, 'uri_too_long', 'A path segment is longer than any id this API takes');
    default:
      request.log.error({ err: error }, 'router error');
      return sendProblem(reply, 'internal_error', `An unexpected error occurred; quote request id ${request.id}`);
  }
}

/** Node's parser errors that are the client's, and what each becomes; anything else it cannot parse is 400. */
const CLIENT_ERRORS: Record<string, { code: ErrorCode; detail: string }> = {
  HPE_HEADER_OVERFLOW: { code: 'header_fields_too_large', detail: 'The request line and headers are larger than this server accepts' },
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'request_timeout', detail: 'The request did not arrive in time' },
};
const NOT_HTTP = { code: 'bad_request', detail: 'The request is not valid HTTP/1.1' } as const;

/**
 * Fastify's `clientErrorHandler` (Node's `clientError`): no request exists yet, so the answer is written to the
 * socket by hand, with a fresh request id that the log line carries too, and the connection is closed.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Duplex): void {
  // A connection the client already reset has no one to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { code, detail } = CLIENT_ERRORS[error.code ?? ''] ?? NOT_HTTP;
  const requestId = randomUUID();
  const problem = problemBody(code, detail, requestId);
  const body = JSON.stringify(problem);
  this.log.debug({ err: error, requestId }, 'client error'); // scanners send these all day: not worth more
  // As Node does: answer only when no response of this connection has begun, so as not to corrupt one.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}
