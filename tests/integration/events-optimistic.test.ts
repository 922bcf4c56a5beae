import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../services/db/tx.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import { post } from '../../services/core/ledger/posting.ts';
import type { StorefrontEvent } from '../../services/core/events/event-service.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent as sendSigned } from '../helpers/events.ts';
import { inLockerTransaction, someoneWaitsForALock as waitForLock } from '../helpers/locks.ts';
import { balanceOf, putMember } from '../helpers/members.ts';

// The optimistic path of order events (two round trips, no transaction held open) against the locked one: same
// effects, and every lost race goes back to the locked path instead of writing half of an event (D3, D15).
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(() => t.close());

const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
const sendEvent: typeof sendSigned = (app, shop, event, options = {}) => sendSigned(app, shop, event, { t: nowSeconds(), ...options });
const query = async (text: string, values: unknown[]) => (await t.container.database.pool.query(text, values)).rows;

/** A first order creates the member (that takes the locked path); later ones can go optimistic. */
async function shopWithMember(customerId = 'c1'): Promise<TestShop> {
  const shop = await createShop(t.app);
  const first = await sendEvent(t.app, shop, envelope('order.completed', { order: order(`first-${customerId}`, { customerId, lines: [{ unitPrice: 1_000 }] }) }));
  expect(first.json().status).toBe('applied');
  return shop;
}

const someoneWaitsForALock = () => waitForLock(t.container.database.pool);

/** The order's row and its entries, without what differs by design (ids, times, versions). */
async function effects(shopId: string, orderId: string) {
  const [row] = await query(`SELECT status, status_at, member_id, customer_id, data, award_status, award_points, award_eligible,
      awarded_at, award_available_at, award_lines, award_rules, award_order_total, reversed_points FROM orders WHERE shop_id = $1 AND order_id = $2`, [shopId, orderId]);
  const entries = await query(`SELECT kind, from_bucket, to_bucket, points, actor, exchange_rate FROM ledger_entries WHERE shop_id = $1 AND order_id = $2 ORDER BY seq`, [shopId, orderId]);
  const events = await query(`SELECT type, status, order_id FROM inbound_events WHERE shop_id = $1 AND order_id = $2 ORDER BY occurred_at`, [shopId, orderId]);
  return { order: { ...row, member_id: row.member_id === null ? null : 'member' }, entries, events };
}

describe('optimistic order events', () => {
  it('a known member\'s new order: applied in two round trips, with exactly the locked path\'s effects', async () => {
    const shop = await shopWithMember();
    // 2 × 123.45 earns 246 (rounded down per line), 9.99 less 0.99 earns 9; shipping and tax earn nothing (D2).
    const data = order('o-fast', { lines: [{ unitPrice: 12_345, quantity: 2 }, { unitPrice: 999, discount: 99 }], shipping: 1_500, tax: 700 });
    const event = envelope('order.completed', { order: data }, '2026-11-20T11:00:00Z') as StorefrontEvent;

    const fast = await t.container.events.ingest(shop.id, event);
    expect(fast).toEqual({ id: event.id, status: 'applied', path: 'optimistic' });

    // The same event applied under locks, in a second shop with the same member.
    const other = await shopWithMember();
    await withTx(t.container.database.db, (tx) =>
      t.container.orderEvents.applyLocked(tx, other.id, { eventId: event.id, type: 'order.completed', occurredAt: new Date(event.occurredAt), receivedAt: clock.now() }, data),
    );
    expect(await effects(shop.id, 'o-fast')).toEqual(await effects(other.id, 'o-fast'));
    expect((await effects(shop.id, 'o-fast')).entries).toEqual([
      { kind: 'earn', from_bucket: null, to_bucket: 'pending', points: 255, actor: 'storefront', exchange_rate: null },
    ]);
    expect(await balanceOf(t.app, shop, 'c1')).toMatchObject({ pending: 10 + 255, available: 0 });
  });

  it('D1: a known member\'s order in another currency: converted at its rate, the rate on the entry', async () => {
    const shop = await shopWithMember();
    const event = envelope('order.completed', { order: order('o-eur', { currency: 'EUR', exchangeRate: 4.3, lines: [{ unitPrice: 1_000 }] }) }) as StorefrontEvent;
    expect((await t.container.events.ingest(shop.id, event)).path).toBe('optimistic');
    expect((await effects(shop.id, 'o-eur')).entries).toEqual([
      { kind: 'earn', from_bucket: null, to_bucket: 'pending', points: 43, actor: 'storefront', exchange_rate: '4.3' },
    ]);
    const missingRate = envelope('order.completed', { order: order('o-eur-2', { currency: 'EUR', lines: [{ unitPrice: 1_000 }] }) }) as StorefrontEvent;
    await expect(t.container.events.ingest(shop.id, missingRate)).rejects.toMatchObject({ code: 'currency_mismatch' });
    const written = await query(`SELECT (SELECT count(*) FROM orders WHERE shop_id = $1 AND order_id = 'o-eur-2')::int AS orders,
        (SELECT count(*) FROM inbound_events WHERE shop_id = $1 AND event_id = $2)::int AS events`, [shop.id, missingRate.id]);
    expect(written).toEqual([{ orders: 0, events: 0 }]);
  });

  it('placed, then completed: the award of an order already known is optimistic too, and counted by /metrics', async () => {
    const shop = await shopWithMember();
    const data = order('o-two-step', { lines: [{ unitPrice: 5_000 }] });
    const placed = await t.container.events.ingest(shop.id, envelope('order.placed', { order: { ...data, status: 'processing' } }, '2026-11-20T10:00:00Z') as StorefrontEvent);
    expect(placed.path).toBe('locked'); // no award: nothing for the optimistic path to do
    const completed = await sendEvent(t.app, shop, envelope('order.completed', { order: data }, '2026-11-20T11:00:00Z'));
    expect(completed.json().status).toBe('applied');

    const [row] = await query(`SELECT status, award_status, award_points, version FROM orders WHERE shop_id = $1 AND order_id = 'o-two-step'`, [shop.id]);
    expect(row).toEqual({ status: 'completed', award_status: 'pending', award_points: 50, version: 2 });
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/lojal_storefront_events_total\{type="order.completed",status="applied",path="optimistic"\} [1-9]/);
  });

  it('an event id seen before is a duplicate and writes nothing', async () => {
    const shop = await shopWithMember();
    const event = envelope('order.completed', { order: order('o-dup', { lines: [{ unitPrice: 3_000 }] }) }) as StorefrontEvent;
    expect((await t.container.events.ingest(shop.id, event)).status).toBe('applied');
    expect(await t.container.events.ingest(shop.id, event)).toEqual({ id: event.id, status: 'duplicate', path: 'optimistic' });
    expect(await query(`SELECT count(*)::int AS n FROM ledger_entries WHERE shop_id = $1 AND order_id = 'o-dup'`, [shop.id])).toEqual([{ n: 1 }]);
  });

  it('a member that moves between the read and the write: nothing half-written, the event goes the locked way', async () => {
    const shop = await shopWithMember();
    const event = envelope('order.completed', { order: order('o-race-member', { lines: [{ unitPrice: 7_000 }] }) }) as StorefrontEvent;
    let ingested: Promise<Awaited<ReturnType<typeof t.container.events.ingest>>> | undefined;
    // A concurrent posting holds the member's row: the optimistic read does not wait, its guarded write does.
    await t.container.postings.withMember(shop.id, 'c1', async (tx, member, now) => {
      await post(tx, member, { move: { kind: 'adjust', from: null, to: 'available', points: 5 }, actor: 'operator', reason: 'race' }, now);
      ingested = t.container.events.ingest(shop.id, event);
      await someoneWaitsForALock();
    });
    expect(await ingested).toEqual({ id: event.id, status: 'applied', path: 'locked' });
    expect(await balanceOf(t.app, shop, 'c1')).toMatchObject({ pending: 10 + 70, available: 5 });
  });

  it('an order that moves between the read and the write: the whole statement fails (LJ001), the locked path applies the event once', async () => {
    const shop = await shopWithMember();
    const data = order('o-race-order', { lines: [{ unitPrice: 4_000 }] });
    await t.container.events.ingest(shop.id, envelope('order.placed', { order: data }, '2026-11-20T09:00:00Z') as StorefrontEvent);
    const completed = envelope('order.completed', { order: data }, '2026-11-20T11:00:00Z') as StorefrontEvent;
    const paid = { eventId: 'evt-paid', type: 'order.paid' as const, occurredAt: new Date('2026-11-20T10:00:00Z'), receivedAt: clock.now() };
    let ingested: Promise<Awaited<ReturnType<typeof t.container.events.ingest>>> | undefined;
    // order.paid changes the order (not the member) and holds its row while the completed event plans and writes.
    await withTx(t.container.database.db, async (tx) => {
      await t.container.orderEvents.applyLocked(tx, shop.id, paid, data);
      ingested = t.container.events.ingest(shop.id, completed);
      await someoneWaitsForALock();
    });
    expect(await ingested).toEqual({ id: completed.id, status: 'applied', path: 'locked' });
    const [row] = await query(`SELECT status, award_points, version FROM orders WHERE shop_id = $1 AND order_id = 'o-race-order'`, [shop.id]);
    expect(row).toEqual({ status: 'completed', award_points: 40, version: 3 });
    const events = await query(`SELECT type, status FROM inbound_events WHERE shop_id = $1 AND order_id = 'o-race-order' ORDER BY occurred_at`, [shop.id]);
    expect(events).toEqual([
      { type: 'order.placed', status: 'applied' },
      { type: 'order.paid', status: 'applied' },
      { type: 'order.completed', status: 'applied' },
    ]);
    expect(await balanceOf(t.app, shop, 'c1')).toMatchObject({ pending: 10 + 40 });
  });

  it('a deadlock with a locked command (order, then member) is not an error: the event goes the locked way', { timeout: 10_000 }, async () => {
    const shop = await shopWithMember();
    const data = order('o-deadlock', { lines: [{ unitPrice: 2_000 }] });
    await t.container.events.ingest(shop.id, envelope('order.placed', { order: data }, '2026-11-20T09:00:00Z') as StorefrontEvent);
    const completed = envelope('order.completed', { order: data }, '2026-11-20T11:00:00Z') as StorefrontEvent;
    let ingested: ReturnType<typeof t.container.events.ingest> | undefined;
    await inLockerTransaction(t.container.database.pool, async (locker) => {
      // The locked path's order: the order's row first, then the member's.
      await locker.query(`SELECT 1 FROM orders WHERE shop_id = $1 AND order_id = 'o-deadlock' FOR UPDATE`, [shop.id]);
      ingested = t.container.events.ingest(shop.id, completed); // takes the member, waits for the order
      await someoneWaitsForALock();
      // PostgreSQL breaks the cycle after deadlock_timeout by failing the optimistic statement, which then queues
      // for the locked path behind this transaction (rolled back when this returns).
      await locker.query(`SELECT 1 FROM members WHERE shop_id = $1 AND customer_id = 'c1' FOR UPDATE`, [shop.id]);
    });
    expect(await ingested).toEqual({ id: completed.id, status: 'applied', path: 'locked' });
    expect(await balanceOf(t.app, shop, 'c1')).toMatchObject({ pending: 10 + 20 });
  });

  it('parallel deliveries of one order under 12 event ids, each sent twice: one award, one applied event, the rest duplicates', async () => {
    const shop = await shopWithMember();
    const data = order('o-storm', { lines: [{ unitPrice: 8_800 }] });
    const events = Array.from({ length: 12 }, () => envelope('order.completed', { order: data }, '2026-11-20T11:00:00Z'));
    const responses = await Promise.all([...events, ...events].map((e) => sendEvent(t.app, shop, e)));
    expect(responses.map((r) => r.statusCode).every((s) => s === 202)).toBe(true);
    expect(responses.filter((r) => r.json().status === 'applied')).toHaveLength(1);
    expect(await query(`SELECT kind, points FROM ledger_entries WHERE shop_id = $1 AND order_id = 'o-storm'`, [shop.id])).toEqual([{ kind: 'earn', points: 88 }]);
    const recorded = await query(`SELECT status, count(*)::int AS n FROM inbound_events WHERE shop_id = $1 AND order_id = 'o-storm' GROUP BY status ORDER BY status`, [shop.id]);
    expect(recorded).toEqual([{ status: 'applied', n: 1 }, { status: 'duplicate', n: 11 }]);
  });

  it('a shop with a firstOrder rule takes the locked way: of two first orders at once, one gets the bonus', async () => {
    const shop = await createShop(t.app);
    const rule = await t.app.inject({
      method: 'POST',
      url: '/v1/rules',
      headers: shop.auth,
      payload: { name: 'Welcome', active: true, conditions: { firstOrder: true }, effect: { bonusPoints: 100, per: 'order' }, stackable: true },
    });
    expect(rule.statusCode).toBe(201);
    await putMember(t.app, shop, 'c9'); // a known member: without the rule, its awards would go optimistic
    const [a, b] = await Promise.all(
      ['o-first-a', 'o-first-b'].map((id) => t.container.events.ingest(shop.id, envelope('order.completed', { order: order(id, { customerId: 'c9', lines: [{ unitPrice: 1_000 }] }) }) as StorefrontEvent)),
    );
    expect([a!.path, b!.path]).toEqual(['locked', 'locked']);
    // 10 points each, and the welcome bonus once.
    expect(await balanceOf(t.app, shop, 'c9')).toMatchObject({ pending: 10 + 10 + 100 });
  });

  it('30 orders of one member at once: lost version races fall back to the lock, every award is posted once', async () => {
    const shop = await shopWithMember();
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => sendEvent(t.app, shop, envelope('order.completed', { order: order(`o-many-${i}`, { lines: [{ unitPrice: 1_000 * (i + 1) }] }) }))),
    );
    expect(responses.map((r) => r.json().status)).toEqual(Array(30).fill('applied'));
    const awarded = Array.from({ length: 30 }, (_, i) => 10 * (i + 1)).reduce((a, b) => a + b, 0);
    expect(await balanceOf(t.app, shop, 'c1')).toMatchObject({ pending: 10 + awarded });
  });
});
