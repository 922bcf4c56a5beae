import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Container } from '../../../core/container.ts';

const Check = Type.Object({ ok: Type.Boolean(), latencyMs: Type.Optional(Type.Integer()), error: Type.Optional(Type.String()) });
const Readiness = Type.Object({
  ready: Type.Boolean(),
  checks: Type.Object({ postgres: Check, redis: Check }),
});

const CHECK_TIMEOUT_MS = 2_000;

/** Liveness, readiness (PostgreSQL and Redis) and Prometheus metrics: for load balancers and ops. */
export const serviceRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  app.get(
    '/healthz',
    {
      config: { auth: 'public' },
      schema: { tags: ['service'], summary: 'The process is up', security: [], response: { 200: Type.Object({ ok: Type.Boolean() }) } },
    },
    async () => ({ ok: true }),
  );

  app.get(
    '/readyz',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['service'],
        summary: 'PostgreSQL and Redis are reachable',
        security: [],
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const [postgres, redis] = await Promise.all([
        timed(() => container.database.pool.query('SELECT 1')),
        timed(() => container.redis.ping()),
      ]);
      const ready = postgres.ok && redis.ok;
      return reply.code(ready ? 200 : 503).send({ ready, checks: { postgres, redis } });
    },
  );

  app.get(
    '/metrics',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['service'],
        summary: 'Prometheus metrics',
        security: [],
        produces: ['text/plain'],
        response: { 200: Type.String({ description: 'Prometheus text exposition format' }) },
      },
    },
    async (_request, reply) => reply.type(app.metrics.contentType).send(await app.metrics.metrics()),
  );
};

async function timed(probe: () => Promise<unknown>): Promise<{ ok: boolean; latencyMs?: number; error?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // Only the kind of failure: connection strings and hosts stay out of a public endpoint.
    const code = (error as { code?: string }).code;
    return { ok: false, error: code ?? (error instanceof Error ? error.message.split('\n')[0] : 'unreachable') };
  } finally {
    clearTimeout(timer);
  }
}
