import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Container } from '../../../core/container.ts';

const probe = { ok: Type.Boolean(), latencyMs: Type.Optional(Type.Integer()), error: Type.Optional(Type.String()) };
const Check = Type.Object(probe);
const RedisCheck = Type.Object({ ...probe, status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]) });
const Readiness = Type.Object({
  ready: Type.Boolean({ description: 'PostgreSQL answers: the API takes requests (200); false only with 503' }),
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('unavailable')], {
    description: '`degraded`: ready, but Redis does not answer (jobs and e-mail wait) or the in-process worker misses schedules',
  }),
  checks: Type.Object({
    postgres: Check,
    redis: RedisCheck,
    worker: Type.Optional(
      Type.Object(
        { schedules: Type.Union([Type.Literal('ok'), Type.Literal('missing')]) },
        { description: 'Only under `npm start`, where the worker runs in the API process' },
      ),
    ),
  }),
});

/** The in-process worker as /readyz sees it (app.ts: InProcessWorker). */
interface WorkerSchedules {
  schedules(): 'ok' | 'missing';
}

const CHECK_TIMEOUT_MS = 2_000;

/** Liveness, readiness (PostgreSQL and Redis) and Prometheus metrics: for load balancers and ops. */
export const serviceRoutes: FastifyPluginAsyncTypebox<{ container: Container; worker?: WorkerSchedules | undefined }> = async (
  app,
  { container, worker },
) => {
  app.get(
    '/healthz',
    {
      config: { auth: 'public', rateLimit: false },
      schema: { tags: ['service'], summary: 'The process is up', security: [], response: { 200: Type.Object({ ok: Type.Boolean() }) } },
    },
    async () => ({ ok: true }),
  );

  app.get(
    '/readyz',
    {
      config: { auth: 'public', rateLimit: false },
      schema: {
        tags: ['service'],
        summary: 'PostgreSQL is reachable (200); Redis and the in-process worker are reported, never a 503',
        security: [],
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const [postgres, redis] = await Promise.all([
        timed(() => container.database.pool.query('SELECT 1')),
        timed(() => container.redis.ping()),
      ]);
      // Only PostgreSQL decides: without Redis orders are still taken and jobs wait (D16), so a load balancer must
      // keep sending traffic; Redis and the worker's schedules are reported for people and alerts.
      const ready = postgres.ok;
      const schedules = worker?.schedules();
      const degraded = !redis.ok || schedules === 'missing';
      const checks = {
        postgres,
        redis: { ...redis, status: redis.ok ? ('ok' as const) : ('degraded' as const) },
        ...(schedules ? { worker: { schedules } } : {}),
      };
      const status = !ready ? 'unavailable' : degraded ? 'degraded' : 'ok';
      return reply.code(ready ? 200 : 503).send({ ready, status, checks });
    },
  );

  app.get(
    '/metrics',
    {
      config: { auth: 'public', rateLimit: false },
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
