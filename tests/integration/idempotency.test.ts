import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { adjust, balanceOf, putMember } from '../helpers/members.ts';

let t: TestApp;
let shop: TestShop;
beforeAll(async () => {
  t = await buildTestApp({ env: { DATABASE_POOL_MAX: '30' } });
  shop = await createShop(t.app);
});
afterAll(() => t.close());

const entriesOf = async (customerId: string) =>
  (
    await t.container.database.pool.query(
      `SELECT count(*)::int AS n FROM ledger_entries e JOIN members m ON m.shop_id = e.shop_id AND m.id = e.member_id
        WHERE m.shop_id = $1 AND m.customer_id = $2`,
      [shop.id, customerId],
    )
  ).rows[0].n as number;

describe('Idempotency-Key (D15)', () => {
  it('replays the stored response for a repeated request, applying it once', async () => {
    await putMember(t.app, shop, 'idem-1');
    const first = await adjust(t.app, shop, 'idem-1', { points: 100 }, { 'idempotency-key': 'k-1' });
    const second = await adjust(t.app, shop, 'idem-1', { points: 100 }, { 'idempotency-key': 'k-1' });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(await entriesOf('idem-1')).toBe(1);
    expect(await balanceOf(t.app, shop, 'idem-1')).toMatchObject({ available: 100 });
  });

  it('refuses the same key with a different request: 409 idempotency_key_reused', async () => {
    await putMember(t.app, shop, 'idem-2');
    await adjust(t.app, shop, 'idem-2', { points: 10 }, { 'idempotency-key': 'k-2' });
    const other = await adjust(t.app, shop, 'idem-2', { points: 11 }, { 'idempotency-key': 'k-2' });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('idempotency_key_reused');
    expect(await entriesOf('idem-2')).toBe(1);
  });

  it('remembers a 4xx answer too, and forgets nothing for another shop', async () => {
    await putMember(t.app, shop, 'idem-3');
    const refused = await adjust(t.app, shop, 'idem-3', { points: -10 }, { 'idempotency-key': 'k-3' });
    expect(refused.statusCode).toBe(409);
    await adjust(t.app, shop, 'idem-3', { points: 50 });
    const replay = await adjust(t.app, shop, 'idem-3', { points: -10 }, { 'idempotency-key': 'k-3' });
    expect(replay.statusCode).toBe(409);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await balanceOf(t.app, shop, 'idem-3')).toMatchObject({ available: 50 });

    // The same key under another shop is that shop's own.
    const other = await createShop(t.app);
    await putMember(t.app, other, 'idem-3');
    const theirs = await adjust(t.app, other, 'idem-3', { points: 7 }, { 'idempotency-key': 'k-3' });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('executes 20 concurrent requests with one key exactly once', async () => {
    await putMember(t.app, shop, 'idem-4');
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => adjust(t.app, shop, 'idem-4', { points: 25 }, { 'idempotency-key': 'k-4' })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    expect(await entriesOf('idem-4')).toBe(1);
    expect(await balanceOf(t.app, shop, 'idem-4')).toMatchObject({ available: 25 });
  });

  it('covers PUT and DELETE and operator routes too', async () => {
    const put = () =>
      t.app.inject({ method: 'PUT', url: '/v1/members/idem-5', headers: { ...shop.auth, 'idempotency-key': 'k-5' }, payload: { locale: 'pl' } });
    expect((await put()).statusCode).toBe(201);
    const replay = await put();
    expect(replay.statusCode).toBe(201); // the first answer, replayed, even though a new PUT would say 200
    expect(replay.headers['idempotent-replayed']).toBe('true');

    const create = () =>
      t.app.inject({
        method: 'POST',
        url: '/v1/admin/shops',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'idempotency-key': 'op-1' },
        payload: { name: 'Once', currency: 'PLN' },
      });
    const a = await create();
    const b = await create();
    expect(b.json().shop.id).toBe(a.json().shop.id);
    const shops = await t.container.database.pool.query(`SELECT count(*)::int AS n FROM shops WHERE name = 'Once'`);
    expect(shops.rows[0].n).toBe(1);
  });

  it('keeps keys at least 24 hours', async () => {
    await putMember(t.app, shop, 'idem-6');
    await adjust(t.app, shop, 'idem-6', { points: 1 }, { 'idempotency-key': 'k-6' });
    const row = await t.container.database.pool.query(
      `SELECT expires_at - created_at AS ttl FROM idempotency_keys WHERE shop_id = $1 AND key = 'k-6'`,
      [shop.id],
    );
    expect(row.rows[0].ttl.hours ?? row.rows[0].ttl.days * 24).toBeGreaterThanOrEqual(24);
  });

  it('never waits for a second pooled connection inside a keyed request (more requests than connections)', async () => {
    const small = await buildTestApp({ env: { DATABASE_POOL_MAX: '3' } });
    try {
      const s = await createShop(small.app);
      const started = Date.now();
      const responses = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          small.app.inject({ method: 'PUT', url: `/v1/members/pool-${i}`, headers: { ...s.auth, 'idempotency-key': `pool-${i}` }, payload: { locale: 'pl' } }),
        ),
      );
      expect(responses.map((r) => r.statusCode)).toEqual(Array(12).fill(201));
      expect(Date.now() - started).toBeLessThan(4_000); // a pool deadlock would wait out the 5 s checkout timeout
    } finally {
      await small.close();
    }
  });

  it('replays the same request sent with its keys in another order, at any depth', async () => {
    const send = (payload: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/rules',
        headers: { ...shop.auth, 'content-type': 'application/json', 'idempotency-key': 'k-order' },
        payload,
      });
    const first = await send('{"name":"Shoes","conditions":{"skus":["a","b"],"firstOrder":true},"effect":{"multiplier":2,"per":"line"}}');
    const again = await send('{"effect":{"per":"line","multiplier":2},"conditions":{"firstOrder":true,"skus":["a","b"]},"name":"Shoes"}');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    // The order of a list is part of the request.
    const reordered = await send('{"name":"Shoes","conditions":{"skus":["b","a"],"firstOrder":true},"effect":{"multiplier":2,"per":"line"}}');
    expect(reordered.json().code).toBe('idempotency_key_reused');
    const rules = await t.container.database.pool.query(`SELECT count(*)::int AS n FROM rules WHERE shop_id = $1 AND name = 'Shoes'`, [shop.id]);
    expect(rules.rows[0].n).toBe(1);
  });

  it('leaves the key to routes that deduplicate by their own means: two signed events under one key are two', async () => {
    const sent = [];
    for (const [n, key] of [[1, 'k-events'], [2, 'k-events'], [3, 'has:colon']] as const) {
      const event = envelope('order.completed', { order: order(`idem-ev-${n}`, { customerId: `idem-ev-${n}` }) });
      const response = await sendEvent(t.app, shop, event, { headers: { 'idempotency-key': key } });
      expect(response.statusCode).toBe(202);
      expect(response.headers['idempotent-replayed']).toBeUndefined();
      sent.push([response.json(), event.id]);
    }
    for (const [answer, id] of sent) expect(answer).toEqual({ id, status: 'applied' });
  });

  it('leaves the key to reads: a GET with a malformed key is answered', async () => {
    await putMember(t.app, shop, 'idem-8');
    const response = await t.app.inject({ method: 'GET', url: '/v1/members/idem-8', headers: { ...shop.auth, 'idempotency-key': 'has:colon' } });
    expect(response.statusCode).toBe(200);
  });

  it('refuses a malformed key', async () => {
    await putMember(t.app, shop, 'idem-7');
    const response = await adjust(t.app, shop, 'idem-7', { points: 1 }, { 'idempotency-key': 'has:colon' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('headers/idempotency-key');
    expect(await entriesOf('idem-7')).toBe(0);
  });
});
