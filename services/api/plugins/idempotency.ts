import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler, onSendHookHandler, preHandlerHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { runInRequestTx, type OpenTransaction } from '../../db/request-tx.ts';
import type { IdempotencyService } from '../../core/idempotency/idempotency-service.ts';
import { validationFailed } from '../../core/common/errors.ts';
import { problemBody } from '../problem.ts';
import { canonicalJson } from '../canonical-json.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route deduplicates by its own means (events by id and business effect). */
    idempotent?: boolean;
    /** true: the response holds secrets; its stored copy is encrypted at rest and opened on replay (D20). */
    sealResponse?: boolean;
  }
}

const KEY_PATTERN = /^[A-Za-z0-9_.\-]{1,255}$/; // no ':' so a key can double as a BullMQ job id
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface OpenRequestTx extends OpenTransaction {
  shopId: string;
  key: string;
  sealed: boolean;
}

const open = new WeakMap<FastifyRequest, OpenRequestTx>();

/**
 * D15 for every POST/PUT/DELETE under /v1: `Idempotency-Key` + SHA-256 of method, URL and body, the response
 * stored with the effect in one transaction, replayed with `Idempotent-Replayed: true`. The same key with another
 * request is 409 idempotency_key_reused; a concurrent twin waits for the first and replays it.
 */
export const idempotencyPlugin = fp<{ idempotency: IdempotencyService }>(
  async (app: FastifyInstance, { idempotency }) => {
    const preHandler: preHandlerHookHandler = (request, reply, done) => {
      const key = request.headers['idempotency-key'];
      if (!MUTATING.has(request.method) || key === undefined) return done();
      if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
        return done(validationFailed([{ field: 'headers/idempotency-key', message: 'must be 1-255 of A-Z a-z 0-9 _ . -' }]));
      }
      const shopId = request.principal?.shopId ?? 'operator';
      const sealed = request.routeOptions.config?.sealResponse === true;
      idempotency.claim(shopId, key, requestHash(request), sealed).then(
        (outcome) => {
          if (outcome.kind === 'replay') {
            void reply
              .code(outcome.stored.statusCode)
              .header('idempotent-replayed', 'true')
              .type(outcome.stored.contentType ?? 'application/json')
              .send(outcome.stored.body);
            return;
          }
          open.set(request, { ...outcome.open, shopId, key, sealed });
          // Everything the handler does from here runs in this transaction (db/request-tx.ts says what changes).
          runInRequestTx(outcome.open.tx, done);
        },
        (error: unknown) => done(error as Error),
      );
    };

    const onSend: onSendHookHandler = async (request, reply, payload) => {
      const current = open.get(request);
      if (!current) return payload;
      open.delete(request);
      // A 5xx is not an answer to remember: roll the effect back so a retry runs again. A connection lost meanwhile
      // cannot roll back, and needs not: its transaction ended with it.
      if (reply.statusCode >= 500 || (payload !== undefined && payload !== null && typeof payload !== 'string')) {
        await current.finish(false).catch((error: unknown) => request.log.warn({ err: error }, 'request transaction could not roll back'));
        return payload;
      }
      try {
        await idempotency.complete(current, current.shopId, current.key, {
          statusCode: reply.statusCode,
          contentType: String(reply.getHeader('content-type') ?? '') || null,
          body: payload ?? '',
        }, current.sealed);
        return payload;
      } catch (error) {
        request.log.error({ err: error }, 'idempotent request could not commit');
        await current.finish(false).catch(() => {});
        return failAfterHandler(reply);
      }
    };

    // A request that ends without onSend (client gone) must not leave its transaction open.
    const onResponse: onResponseHookHandler = async (request) => {
      const current = open.get(request);
      if (current) {
        open.delete(request);
        await current.finish(false).catch((error: unknown) => request.log.warn({ err: error }, 'request transaction could not roll back'));
      }
    };

    // Only the routes that can take a key carry the hooks: the others (GET, and routes that deduplicate by their
    // own means, such as signed events) pay nothing for them on each request.
    app.addHook('onRoute', (route) => {
      const methods = [route.method].flat();
      if (route.config?.idempotent === false || !methods.some((method) => MUTATING.has(method))) return;
      route.preHandler = [...[route.preHandler ?? []].flat(), preHandler];
      route.onSend = [onSend, ...[route.onSend ?? []].flat()];
      route.onResponse = [...[route.onResponse ?? []].flat(), onResponse];
    });
  },
  { name: 'lojal-idempotency' },
);

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(request.method)
    .update('\u0000')
    .update(request.url)
    .update('\u0000')
    .update(canonicalJson(request.body ?? null))
    .digest('hex');
}

function failAfterHandler(reply: FastifyReply): string {
  const body = problemBody('internal_error', `An unexpected error occurred; quote request id ${reply.request.id}`, String(reply.request.id));
  reply.code(500).type('application/problem+json');
  return JSON.stringify(body);
}
