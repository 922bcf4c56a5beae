import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { inLockerTransaction, someoneWaitsForALock } from '../helpers/locks.ts';
import { adjust } from '../helpers/members.ts';

const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(() => t.close());

/** The person erased: every value is distinctive, so finding one anywhere is finding a copy. */
const PERSON = { customerId: 'pd-erase-1', email: 'zofia.pd@example.com', firstName: 'Zofia', lastName: 'Kowalczyk', birthday: '1977-03-04' };

const send = (shop: TestShop, event: unknown) => sendEvent(t.app, shop, event, { t: Math.floor(clock.now().getTime() / 1000) });
const keyed = (shop: TestShop, key: string) => ({ ...shop.auth, 'idempotency-key': key });
const putMember = (shop: TestShop, key: string, customerId: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'PUT', url: `/v1/members/${customerId}`, headers: keyed(shop, key), payload });
const hold = (shop: TestShop, key: string) =>
  t.app.inject({ method: 'POST', url: '/v1/redemptions', headers: keyed(shop, key), payload: { customerId: PERSON.customerId, points: 100 } });

/** An order whose customer carries the whole profile, as a storefront sends it. */
function orderOfPerson(orderId: string) {
  const data = order(orderId, { customerId: PERSON.customerId, email: PERSON.email });
  return { ...data, customer: { ...data.customer!, firstName: PERSON.firstName, lastName: PERSON.lastName, birthday: PERSON.birthday, locale: 'pl' } };
}

/** Every row of the shop, in every table that has a shop_id, as text. */
async function everyRowOf(shopId: string): Promise<string> {
  const { pool } = t.container.database;
  const tables = await pool.query(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'shop_id' ORDER BY 1`,
  );
  expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['idempotency_keys', 'inbound_events', 'members', 'orders', 'redemptions']));
  const rows: string[] = [];
  for (const { table_name: table } of tables.rows) {
    const result = await pool.query(`SELECT row_to_json(x)::text AS row FROM "${table}" x WHERE shop_id = $1`, [shopId]);
    rows.push(...result.rows.map((r) => `${table}: ${r.row}`));
  }
  return rows.join('\n');
}

/** Waits until `n` backends of this database wait for a lock. */
async function lockWaiters(pool: TestApp['container']['database']['pool'], n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (rows[0].n >= n) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`fewer than ${n} waited for a lock`);
}

function expectNoPersonalData(dump: string): void {
  for (const value of Object.values(PERSON)) expect(dump, value).not.toContain(value);
}

describe('erasure reaches every copy (D19)', () => {
  it('scrubs orders, redemptions, referrers and stored responses; the ledger stays', async () => {
    const shop = await createShop(t.app);
    const { customerId, email, firstName, lastName, birthday } = PERSON;
    expect((await putMember(shop, 'put-person', customerId, { email, emailVerified: true, firstName, lastName, birthday })).statusCode).toBe(201);
    expect((await putMember(shop, 'put-friend', 'pd-friend', { email: 'friend@example.com', referredBy: customerId })).statusCode).toBe(201);
    const other = await putMember(shop, 'put-other', 'pd-other', { email: 'other@example.com' });
    expect((await send(shop, envelope('order.completed', { order: orderOfPerson('o-pd-1') }))).statusCode).toBe(202);
    // A guest order placed later with the verified e-mail, not claimed yet: the member's by D10.
    expect((await send(shop, envelope('order.completed', { order: order('o-pd-guest', { customerId: null, email }) }))).statusCode).toBe(202);
    expect((await adjust(t.app, shop, customerId, { points: 500 })).statusCode).toBe(201);
    expect((await hold(shop, 'hold-person')).statusCode).toBe(201);
    expect(await everyRowOf(shop.id)).toContain(email);

    const { pool } = t.container.database;
    const before = (await pool.query(
      `SELECT m.id, m.pending, m.available, m.held, (SELECT count(*)::int FROM ledger_entries e WHERE e.shop_id = m.shop_id AND e.member_id = m.id) AS entries
         FROM members m WHERE m.shop_id = $1 AND m.customer_id = $2`, [shop.id, customerId])).rows[0];
    // The erasure itself runs in its request's transaction (an Idempotency-Key), and replays as done.
    const erase = () => t.app.inject({ method: 'DELETE', url: `/v1/members/${customerId}`, headers: keyed(shop, 'erase-person') });
    expect((await erase()).statusCode).toBe(204);
    const erasedAgain = await erase();
    expect(erasedAgain.statusCode).toBe(204);
    expect(erasedAgain.headers['idempotent-replayed']).toBe('true');

    expectNoPersonalData(await everyRowOf(shop.id));
    const after = (await pool.query(
      `SELECT m.id, m.customer_id, m.pending, m.available, m.held, (SELECT count(*)::int FROM ledger_entries e WHERE e.shop_id = m.shop_id AND e.member_id = m.id) AS entries
         FROM members m WHERE m.shop_id = $1 AND m.id = $2`, [shop.id, before.id])).rows[0];
    expect(after).toMatchObject({ pending: before.pending, available: before.available, held: before.held, entries: before.entries });
    const pseudonym: string = after.customer_id;
    expect(pseudonym).toMatch(/^erased_/);

    // The order answers with the pseudonym; the friend names it as referrer; so does the hold.
    const shown = await t.app.inject({ method: 'GET', url: '/v1/orders/o-pd-1', headers: shop.auth });
    expect(shown.json()).toMatchObject({ customerId: pseudonym, guest: false });
    const friend = await pool.query(`SELECT referred_by FROM members WHERE shop_id = $1 AND customer_id = 'pd-friend'`, [shop.id]);
    expect(friend.rows[0].referred_by).toBe(pseudonym);
    const redemption = await pool.query(`SELECT customer_id FROM redemptions WHERE shop_id = $1`, [shop.id]);
    expect(redemption.rows).toEqual([{ customer_id: pseudonym }]);

    // Replays of requests that named the member are 410 and run nothing again; another member's replays as before.
    for (const replay of [
      await putMember(shop, 'put-person', customerId, { email, emailVerified: true, firstName, lastName, birthday }),
      await putMember(shop, 'put-friend', 'pd-friend', { email: 'friend@example.com', referredBy: customerId }),
      await hold(shop, 'hold-person'),
    ]) {
      expect(replay.statusCode).toBe(410);
      expect(replay.json().code).toBe('member_erased');
      expectNoPersonalData(replay.body);
    }
    const otherAgain = await putMember(shop, 'put-other', 'pd-other', { email: 'other@example.com' });
    expect(otherAgain.headers['idempotent-replayed']).toBe('true');
    expect(otherAgain.json()).toEqual(other.json());
    expect((await t.app.inject({ method: 'GET', url: `/v1/members/${customerId}`, headers: shop.auth })).statusCode).toBe(404);
  });

  it('leaves a posting planned before the erasure nothing to land on', async () => {
    const shop = await createShop(t.app);
    const { pool } = t.container.database;
    expect((await send(shop, envelope('order.completed', { order: orderOfPerson('o-pd-race') }))).statusCode).toBe(202);
    const entries = async () => (await pool.query(`SELECT count(*)::int AS n FROM ledger_entries WHERE shop_id = $1`, [shop.id])).rows[0].n;
    const before = await entries();
    let adjusted: Awaited<ReturnType<typeof adjust>> | undefined;
    await inLockerTransaction(pool, async (locker) => {
      // The erasure locks the member, then waits here for the member's order.
      await locker.query(`SELECT 1 FROM orders WHERE shop_id = $1 AND order_id = 'o-pd-race' FOR UPDATE`, [shop.id]);
      const erasing = t.app.inject({ method: 'DELETE', url: `/v1/members/${PERSON.customerId}`, headers: shop.auth });
      await someoneWaitsForALock(pool);
      // An adjustment reads the member as it was, lock-free, and its guarded write queues behind the erasure.
      const adjusting = adjust(t.app, shop, PERSON.customerId, { points: 50 }).then((r) => (adjusted = r));
      await lockWaiters(pool, 2);
      await locker.query('ROLLBACK');
      expect((await erasing).statusCode).toBe(204);
      await adjusting;
    });
    expect(adjusted!.statusCode).toBe(404);
    expect(await entries()).toBe(before);
  });

  it('keeps no copy of the profile from an event that arrives after the erasure', async () => {
    const shop = await createShop(t.app);
    expect((await send(shop, envelope('order.completed', { order: orderOfPerson('o-pd-late') }))).statusCode).toBe(202);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/members/${PERSON.customerId}`, headers: shop.auth })).statusCode).toBe(204);
    const refund = { id: 'rf-pd-late', amount: 5_000 };
    const late = await send(shop, envelope('order.refunded', { order: orderOfPerson('o-pd-late'), refund }, '2026-11-21T10:00:00Z'));
    expect(late.statusCode).toBe(202);
    expect(late.json().status).toBe('applied');
    expectNoPersonalData(await everyRowOf(shop.id));
  });
});

describe('export (D19)', () => {
  it("includes the member's orders with their award, refunds and status, and no one else's", async () => {
    const shop = await createShop(t.app);
    const customerId = 'pd-export-1';
    const email = 'export.pd@example.com';
    const saved = await putMember(shop, 'put-export', customerId, { email, emailVerified: true });
    expect(saved.statusCode).toBe(201);
    expect((await send(shop, envelope('order.completed', { order: order('o-exp-1', { customerId, email }) }))).statusCode).toBe(202);
    const refund = { id: 'rf-exp-1', amount: 2_500, reason: 'one item back' };
    const refunded = await send(shop, envelope('order.refunded', { order: order('o-exp-1', { customerId, email }), refund }, '2026-11-21T10:00:00Z'));
    expect(refunded.statusCode).toBe(202);
    // A guest order of its verified e-mail, not claimed yet, and another customer's order.
    expect((await send(shop, envelope('order.completed', { order: order('o-exp-guest', { customerId: null, email }) }))).statusCode).toBe(202);
    expect((await send(shop, envelope('order.completed', { order: order('o-exp-other', { customerId: 'pd-export-2' }) }))).statusCode).toBe(202);

    const exported = await t.app.inject({ method: 'GET', url: `/v1/members/${customerId}/export`, headers: shop.auth });
    expect(exported.statusCode).toBe(200);
    const { orders } = exported.json();
    expect(orders.map((o: { orderId: string }) => o.orderId)).toEqual(['o-exp-1', 'o-exp-guest']);
    const shown = await t.app.inject({ method: 'GET', url: '/v1/orders/o-exp-1', headers: shop.auth });
    expect(orders[0]).toEqual(shown.json());
    expect(orders[0]).toMatchObject({
      customerId,
      guest: false,
      status: 'refunded',
      award: { points: 100, status: 'pending' },
      reversed: 25,
      refunds: [{ id: 'rf-exp-1', amount: 2_500, reason: 'one item back', occurredAt: '2026-11-21T10:00:00.000Z' }],
    });
    expect(orders[1]).toMatchObject({ orderId: 'o-exp-guest', customerId: null, guest: true, status: 'completed', award: { points: 100 } });
  });
});

describe('Cache-Control (D19, D20)', () => {
  it('answers every /v1 route with no-store: members, orders, admin keys and secrets, errors', async () => {
    const shop = await createShop(t.app);
    expect((await putMember(shop, 'put-cache', 'pd-cache-1', { email: 'cache@example.com' })).headers['cache-control']).toBe('no-store');
    expect((await send(shop, envelope('order.completed', { order: order('o-cache-1', { customerId: 'pd-cache-1' }) }))).statusCode).toBe(202);
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const responses = [
      await t.app.inject({ method: 'GET', url: '/v1/members/pd-cache-1', headers: shop.auth }),
      await t.app.inject({ method: 'GET', url: '/v1/members/pd-cache-1/activity', headers: shop.auth }),
      await t.app.inject({ method: 'GET', url: '/v1/members/pd-cache-1/export', headers: shop.auth }),
      await t.app.inject({ method: 'GET', url: '/v1/orders/o-cache-1', headers: shop.auth }),
      await t.app.inject({ method: 'POST', url: '/v1/admin/shops', headers: admin, payload: { name: 'Cache', currency: 'PLN' } }),
      await t.app.inject({ method: 'POST', url: `/v1/admin/shops/${shop.id}/rotate-secrets`, headers: admin, payload: { overlapHours: 1 } }),
      await t.app.inject({ method: 'GET', url: '/v1/members/nobody', headers: shop.auth }),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 201, 200, 404]);
    for (const response of responses) expect(response.headers['cache-control'], response.body).toBe('no-store');
  });
});
