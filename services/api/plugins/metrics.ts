import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

/**
 * Prometheus metrics: request durations by method, route pattern and status, plus the process defaults, and the
 * in-process worker's (`extra`: queue depth, job durations and failures) when there is one, and the PostgreSQL
 * pool's connections (`pool`): open, idle, and requests waiting for one (a wait that is often above zero says
 * DATABASE_POOL_MAX is short for the load: docs/operations.md).
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, { extra, pool }: { extra?: Registry | undefined; pool?: pg.Pool }) => {
    const own = new Registry();
    const registry = extra ? Registry.merge([own, extra]) : own;
    collectDefaultMetrics({ register: own, prefix: 'lojal_' });
    const durations = new Histogram({
      name: 'lojal_http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    if (pool) {
      new Gauge({
        name: 'lojal_db_pool_connections', help: 'PostgreSQL pool connections of this process, by state (open, idle)', labelNames: ['state'] as const,
        registers: [registry],
        collect() {
          this.set({ state: 'open' }, pool.totalCount);
          this.set({ state: 'idle' }, pool.idleCount);
        },
      });
      new Gauge({
        name: 'lojal_db_pool_waiting', help: 'Requests of this process waiting for a PostgreSQL pool connection', registers: [registry],
        collect() {
          this.set(pool.waitingCount);
        },
      });
    }
    app.decorate('metrics', registry);
    app.addHook('onResponse', async (request, reply) => {
      // The route pattern, never the raw URL: ids in paths would explode the label set.
      const route = request.routeOptions.url ?? 'unmatched';
      durations.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
  },
  { name: 'lojal-metrics' },
);
