import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { adjust, putMember } from '../helpers/members.ts';

// A database that cannot be reached, or a connection lost mid-request, is not the client's fault nor a bug: the
// answer is 503 service_unavailable with Retry-After, so a storefront retries later (and the request did nothing).
let t: TestApp;
let admin: pg.Client;
beforeAll(async () => {
  t = await buildTestApp();
  admin = new pg.Client({ connectionString: t.config.databaseUrl, application_name: 'lojal-test-admin' });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await t.close();
});

function expect503(response: { statusCode: number; headers: Record<string, unknown>; json(): any; body: string }) {
  expect(response.statusCode, response.body).toBe(503);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
  expect(response.json()).toMatchObject({ status: 503, code: 'service_unavailable', type: 'urn:lojal:problem:service_unavailable' });
  expect(response.body).not.toMatch(/127\.0\.0\.1|postgres:|ECONNREFUSED|terminat/i);
}

/**
 * Runs `request` while another connection holds the member's row, waits until the app's backend queues behind it,
 * terminates that backend as an operator (or a failover) would, then lets the lock go.
 */
async function terminatedWhileWaiting<T>(shop: TestShop, customerId: string, request: () => Promise<T>): Promise<T> {
  await admin.query('BEGIN');
  try {
    await admin.query('SELECT 1 FROM members WHERE shop_id = $1 AND customer_id = $2 FOR UPDATE', [shop.id, customerId]);
    const pending = request();
    let terminated = 0;
    for (let i = 0; i < 300 && terminated === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      const { rows } = await admin.query(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'lojal' AND wait_event_type = 'Lock'`,
      );
      terminated = rows[0].n;
    }
    expect(terminated).toBe(1);
    return await pending;
  } finally {
    await admin.query('ROLLBACK');
  }
}

describe('503 service_unavailable with Retry-After when the database is gone', () => {
  it('a backend terminated while the request runs', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'm-1');
    const response = await terminatedWhileWaiting(shop, 'm-1', () => adjust(t.app, shop, 'm-1', { points: 50 }));
    expect503(response);
    // The pool reconnects; nothing was posted.
    const member = await t.app.inject({ method: 'GET', url: '/v1/members/m-1', headers: shop.auth });
    expect(member.statusCode).toBe(200);
    expect(member.json().balance).toEqual({ available: 0, pending: 0, held: 0 });
  });

  it('the same inside an idempotent request: the key is not kept, so the retry runs', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'm-2');
    const keyed = { 'idempotency-key': 'retry-me' };
    expect503(await terminatedWhileWaiting(shop, 'm-2', () => adjust(t.app, shop, 'm-2', { points: 50 }, keyed)));
    const retried = await adjust(t.app, shop, 'm-2', { points: 50 }, keyed);
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.json()).toMatchObject({ kind: 'adjust', points: 50 });
    const member = await t.app.inject({ method: 'GET', url: '/v1/members/m-2', headers: shop.auth });
    expect(member.json().balance).toEqual({ available: 50, pending: 0, held: 0 });
  });

  it('a pool that cannot hand out a connection in time', { timeout: 20_000 }, async () => {
    const small = await buildTestApp({ databaseUrl: t.config.databaseUrl, env: { DATABASE_POOL_MAX: '1' } });
    const shop = await createShop(small.app);
    const held = await small.container.database.pool.connect();
    try {
      expect503(await small.app.inject({ method: 'GET', url: '/v1/members/nobody', headers: shop.auth }));
    } finally {
      held.release();
      await small.close();
    }
  });

  it('a database that refuses connections; /readyz still answers as before', async () => {
    const down = await buildTestApp({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none' });
    try {
      expect503(await down.app.inject({ method: 'GET', url: '/v1/shop', headers: { authorization: 'Bearer lj_sk_whatever' } }));
      expect503(await down.app.inject({
        method: 'POST', url: '/v1/admin/shops', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { name: 'x', currency: 'PLN' },
      }));
      const ready = await down.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.headers['content-type']).toMatch(/^application\/json/);
      expect(ready.json()).toMatchObject({ ready: false, checks: { postgres: { ok: false } } });
    } finally {
      await down.close();
    }
  });
});
