import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createShop, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('service routes', () => {
  it('/healthz answers while the process is up', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
  });

  it('/readyz is ready when PostgreSQL and Redis answer', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ready: true, status: 'ok', checks: { postgres: { ok: true }, redis: { ok: true, status: 'ok' } } });
    expect(response.json().checks.worker).toBeUndefined(); // no worker in this process
  });

  it('/readyz is 503 without PostgreSQL, whatever Redis does', async () => {
    const pgDown = await buildTestApp({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none' });
    try {
      const response = await pgDown.app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ ready: false, status: 'unavailable', checks: { postgres: { ok: false }, redis: { ok: true } } });
    } finally {
      await pgDown.close();
    }
  });

  it('/readyz reports stopped dependencies as not ready', async () => {
    // Closed ports: nothing listens on port 1 of the loopback.
    const down = await buildTestApp({
      databaseUrl: 'postgres://postgres@127.0.0.1:1/none',
      env: { REDIS_URL: 'redis://127.0.0.1:1' },
    });
    try {
      const response = await down.app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      const body = response.json();
      expect(body.ready).toBe(false);
      expect(body.checks.postgres.ok).toBe(false);
      expect(body.checks.redis.ok).toBe(false);
      expect(response.body).not.toContain('127.0.0.1:1'); // no connection strings on a public route
    } finally {
      await down.close();
    }
  });

  it('/readyz stays ready without Redis and reports it degraded: a load balancer keeps the API in', async () => {
    const redisDown = await buildTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const response = await redisDown.app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ ready: true, status: 'degraded' });
      expect(response.json().checks).toMatchObject({ postgres: { ok: true }, redis: { ok: false, status: 'degraded' } });
    } finally {
      await redisDown.close();
    }
  });

  it('/metrics exposes request durations by route pattern and status', async () => {
    const shop = await createShop(t.app);
    await t.app.inject({ method: 'GET', url: '/v1/shop', headers: shop.auth });
    await t.app.inject({ method: 'GET', url: '/v1/shop' });
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toMatch(
      /lojal_http_request_duration_seconds_count\{method="GET",route="\/v1\/shop",status_code="200"\} 1/,
    );
    expect(response.body).toMatch(
      /lojal_http_request_duration_seconds_count\{method="GET",route="\/v1\/shop",status_code="401"\} 1/,
    );
    expect(response.body).toContain('lojal_process_cpu_user_seconds_total');
    // The pool: open connections (at least the one the shop's requests used) and requests waiting for one.
    expect(Number(/lojal_db_pool_connections\{state="open"\} (\d+)/.exec(response.body)?.[1])).toBeGreaterThan(0);
    expect(response.body).toMatch(/lojal_db_pool_waiting \d+/);
  });

  it('/docs serves the interactive docs and /openapi.json the document', async () => {
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
    expect(docs.body).toContain('swagger');
    const spec = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(spec.json()).toMatchObject({ openapi: '3.1.0', info: { title: 'Lojal API' } });
    expect(Object.keys(spec.json().paths)).toContain('/v1/admin/shops');
  });
});
