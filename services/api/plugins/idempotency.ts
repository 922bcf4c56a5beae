import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../../db/client.ts';
import { pgErrorCode, requestTx, type Tx } from '../../db/tx.ts';
import { claimKey, storeResponse } from '../../core/idempotency/idempotency-repo.ts';
import type { Clock } from '../../core/shared/clock.ts';
import { DomainError, validationFailed } from '../../core/shared/errors.ts';
import { problemBody } from '../problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route deduplicates by its own means (events by id and business effect). */
    idempotent?: boolean;
  }
}

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
const KEY_PATTERN = /^[A-Za-z0-9_.\-]{1,255}$/; // no ':' so a key can double as a BullMQ job id
const WAIT_FOR_FIRST_MS = 15_000;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface OpenRequestTx {
  shopId: string;
  key: string;
  tx: Tx;
  finish(commit: boolean): Promise<void>;
}

const open = new WeakMap<FastifyRequest, OpenRequestTx>();

/**
 * D15 for every POST/PUT/DELETE under /v1: `Idempotency-Key` + SHA-256 of method, URL and body, the response
 * stored with the effect in one transaction, replayed with `Idempotent-Replayed: true`. The same key with another
 * request is 409 idempotency_key_reused; a concurrent twin waits for the first and replays it.
 */
export const idempotencyPlugin = fp<{ database: Database; clock: Clock }>(
  async (app: FastifyInstance, { database, clock }) => {
    app.addHook('preHandler', (request, reply, done) => {
      const key = request.headers['idempotency-key'];
      if (!MUTATING.has(request.method) || key === undefined || request.routeOptions.config?.idempotent === false) {
        return done();
      }
      if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
        return done(validationFailed([{ field: 'headers/idempotency-key', message: 'must be 1-255 of A-Z a-z 0-9 _ . -' }]));
      }
      begin(database, request, key, clock.now()).then(
        (outcome) => {
          if (outcome.kind === 'replay') {
            void reply
              .code(outcome.stored.statusCode)
              .header('idempotent-replayed', 'true')
              .type(outcome.stored.contentType ?? 'application/json')
              .send(outcome.stored.body);
            return;
          }
          open.set(request, outcome.open);
          // Everything the handler does from here runs with this transaction as its ambient one.
          requestTx.run(outcome.open.tx, done);
        },
        (error: unknown) => done(error as Error),
      );
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const current = open.get(request);
      if (!current) return payload;
      open.delete(request);
      // A 5xx is not an answer to remember: roll the effect back so a retry runs again.
      if (reply.statusCode >= 500 || (payload !== undefined && payload !== null && typeof payload !== 'string')) {
        await current.finish(false);
        return payload;
      }
      try {
        await storeResponse(current.tx, current.shopId, current.key, {
          statusCode: reply.statusCode,
          contentType: String(reply.getHeader('content-type') ?? '') || null,
          body: payload ?? '',
        });
        await current.finish(true);
        return payload;
      } catch (error) {
        request.log.error({ err: error }, 'idempotent request could not commit');
        await current.finish(false).catch(() => {});
        return failAfterHandler(reply);
      }
    });

    // A request that ends without onSend (client gone) must not leave its transaction open.
    app.addHook('onResponse', async (request) => {
      const current = open.get(request);
      if (current) {
        open.delete(request);
        await current.finish(false);
      }
    });
  },
  { name: 'lojal-idempotency' },
);

type Outcome = { kind: 'replay'; stored: { statusCode: number; contentType: string | null; body: string } } | { kind: 'run'; open: OpenRequestTx };

async function begin(database: Database, request: FastifyRequest, key: string, now: Date): Promise<Outcome> {
  const shopId = request.principal?.shopId ?? 'operator';
  const hash = requestHash(request);
  const held = await holdTransaction(database);
  try {
    await held.tx.execute(`SET LOCAL lock_timeout = '${WAIT_FOR_FIRST_MS}ms'`);
    const stored = await claimKey(held.tx, shopId, key, hash, now, IDEMPOTENCY_TTL_MS);
    if (stored === null) return { kind: 'run', open: { shopId, key, tx: held.tx, finish: held.finish } };
    await held.finish(false);
    if (stored.requestHash !== hash) {
      throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used for a different request');
    }
    return { kind: 'replay', stored };
  } catch (error) {
    await held.finish(false).catch(() => {});
    if (pgErrorCode(error) === '55P03') {
      throw new DomainError('idempotency_request_in_progress', 'A request with this Idempotency-Key is still running; retry later');
    }
    throw error;
  }
}

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(request.method)
    .update('\u0000')
    .update(request.url)
    .update('\u0000')
    .update(JSON.stringify(request.body ?? null))
    .digest('hex');
}

/** Opens a drizzle transaction and keeps it open until `finish` says commit or roll back. */
async function holdTransaction(database: Database): Promise<{ tx: Tx; finish(commit: boolean): Promise<void> }> {
  let release!: (commit: boolean) => void;
  const decided = new Promise<boolean>((resolve) => (release = resolve));
  let ready!: (tx: Tx) => void;
  const started = new Promise<Tx>((resolve) => (ready = resolve));
  const rollback = new Error('rollback');
  const finished = database.db
    .transaction(async (tx) => {
      ready(tx);
      if (!(await decided)) throw rollback;
    })
    .then(
      () => undefined,
      (error: unknown) => {
        if (error !== rollback) throw error;
      },
    );
  const tx = await Promise.race([started, finished.then(() => Promise.reject(new Error('transaction did not start')))]);
  let done = false;
  return {
    tx,
    async finish(commit: boolean) {
      if (done) return finished;
      done = true;
      release(commit);
      return finished;
    },
  };
}

function failAfterHandler(reply: FastifyReply): string {
  const body = problemBody('internal_error', `An unexpected error occurred; quote request id ${reply.request.id}`, String(reply.request.id));
  reply.code(500).type('application/problem+json');
  return JSON.stringify(body);
}
