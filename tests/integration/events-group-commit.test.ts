import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../services/db/tx.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import type { StorefrontEvent } from '../../services/core/events/event-service.ts';
import { buildTestApp, createShop, type TestApp } from '../helpers/app.ts';
import { envelope, order } from '../helpers/events.ts';
import { balanceOf } from '../helpers/members.ts';

// Order events from customers Lojal has never seen, and many events at once: the lock-free path's group commit
// (core/orders/order-award-batch.ts). A new customer costs no extra statement; concurrent events share statements
// and each still gets its own answer; one bad event does not fail the others.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock, env: { DATABASE_POOL_MAX: '12' } });
});
afterAll(() => t.close());

const query = async (text: string, values: unknown[]) => (await t.container.database.pool.query(text, values)).rows;
const ingest = (shopId: string, event: unknown) => t.container.events.ingest(shopId, event as StorefrontEvent);
const completed = (orderId: string, customerId: string, unitPrice = 1_000) =>
  envelope('order.completed', { order: order(orderId, { customerId, lines: [{ unitPrice }] }) }) as StorefrontEvent;

/** The statements the service sends while `work` runs (counted at the pool, where every statement goes). */
async function statementsDuring(work: () => Promise<unknown>): Promise<number> {
  const pool = t.container.database.pool;
  const original = pool.query;
  let count = 0;
  pool.query = function (this: typeof pool, ...args: Parameters<typeof pool.query>) {
    count++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pool.query;
  try {
    await work();
  } finally {
    pool.query = original;
  }
  return count;
}

/** What a member's first order leaves, without what differs by design (ids, times). */
async function memberEffects(shopId: string, customerId: string) {
  const [member] = await query(`SELECT customer_id, email, email_verified, first_name, locale, pending, available, held,
      lifetime_earned, version FROM members WHERE shop_id = $1 AND customer_id = $2`, [shopId, customerId]);
  const outbox = await query(`SELECT o.type FROM outbox o JOIN members m ON m.shop_id = o.shop_id AND m.id = o.member_id
      WHERE o.shop_id = $1 AND m.customer_id = $2 ORDER BY o.id`, [shopId, customerId]);
  const entries = await query(`SELECT e.kind, e.from_bucket, e.to_bucket, e.points, e.actor FROM ledger_entries e
      JOIN members m ON m.shop_id = e.shop_id AND m.id = e.member_id WHERE e.shop_id = $1 AND m.customer_id = $2 ORDER BY e.seq`, [shopId, customerId]);
  const orders = await query(`SELECT o.order_id, o.status, o.award_status, o.award_points FROM orders o
      JOIN members m ON m.shop_id = o.shop_id AND m.id = o.member_id WHERE o.shop_id = $1 AND m.customer_id = $2`, [shopId, customerId]);
  return { member, outbox, entries, orders };
}

describe('a customer Lojal has never seen', () => {
  it('is created by its first order\'s own write: lock-free, no extra statement, the locked path\'s effects', async () => {
    const shop = await createShop(t.app);
    // Warm the shop's cached program, rules and tiers, then a known member's order as the yardstick.
    await ingest(shop.id, completed('o-warm', 'known'));
    const known = await statementsDuring(async () => expect((await ingest(shop.id, completed('o-known', 'known'))).path).toBe('optimistic'));
    let outcome: unknown;
    const fresh = await statementsDuring(async () => (outcome = await ingest(shop.id, completed('o-new', 'new-1'))));
    expect(outcome).toMatchObject({ status: 'applied', path: 'optimistic' });
    expect(fresh).toBeLessThanOrEqual(known);

    // The same first order under locks, in another shop: the same member, entries, outbox and order.
    const other = await createShop(t.app);
    const event = completed('o-new', 'new-1');
    await withTx(t.container.database.db, (tx) =>
      t.container.orderEvents.applyLocked(tx, other.id, { eventId: event.id, type: 'order.completed', occurredAt: new Date(event.occurredAt), receivedAt: clock.now() }, (event.data as { order: never }).order),
    );
    const mine = await memberEffects(shop.id, 'new-1');
    expect(mine).toEqual(await memberEffects(other.id, 'new-1'));
    expect(mine.member).toMatchObject({ email: 'new-1@example.com', email_verified: true, pending: 10, version: 1 });
    expect(mine.outbox.map((r) => r.type)).toEqual(['member.created', 'points.earned']);
  });

  it('with a sign-up bonus (D11): created with its bonus in one statement more, then awarded lock-free', async () => {
    const shop = await createShop(t.app);
    const program = await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { bonuses: { signup: 100 } } });
    expect(program.statusCode, program.body).toBe(200);
    await ingest(shop.id, completed('o-warm', 'known'));
    const known = await statementsDuring(() => ingest(shop.id, completed('o-known', 'known')));
    let outcome: unknown;
    const fresh = await statementsDuring(async () => (outcome = await ingest(shop.id, completed('o-1', 'signs-up'))));
    expect(outcome).toMatchObject({ status: 'applied', path: 'optimistic' });
    expect(fresh).toBeLessThanOrEqual(known + 1);
    expect(await balanceOf(t.app, shop, 'signs-up')).toMatchObject({ pending: 10, available: 100 });
    const effects = await memberEffects(shop.id, 'signs-up');
    expect(effects.outbox.map((r) => r.type)).toEqual(['member.created', 'points.bonus', 'points.earned']);
    expect(effects.entries.map((e) => e.kind)).toEqual(['bonus', 'earn']);
    expect(await query(`SELECT kind, reference, points::int FROM bonuses WHERE shop_id = $1`, [shop.id])).toEqual([
      { kind: 'signup', reference: 'signup', points: 100 }, { kind: 'signup', reference: 'signup', points: 100 },
    ]);
    // A second order of the member: no second bonus.
    await ingest(shop.id, completed('o-2', 'signs-up'));
    expect(await balanceOf(t.app, shop, 'signs-up')).toMatchObject({ pending: 20, available: 100 });
  });

  it('ordering twice at once: one member, both awards', async () => {
    const shop = await createShop(t.app);
    const outcomes = await Promise.all([ingest(shop.id, completed('o-a', 'twice')), ingest(shop.id, completed('o-b', 'twice'))]);
    expect(outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
    expect(await query('SELECT count(*)::int AS n FROM members WHERE shop_id = $1', [shop.id])).toEqual([{ n: 1 }]);
    expect(await balanceOf(t.app, shop, 'twice')).toMatchObject({ pending: 20 });
  });
});

describe('a new customer in two processes at once', () => {
  it('its first orders through two API processes: one member, both awards, one member.created', async () => {
    const second = await buildTestApp({ clock, databaseUrl: t.config.databaseUrl });
    try {
      const shop = await createShop(t.app);
      for (let round = 0; round < 5; round++) {
        const customer = `both-${round}`;
        const outcomes = await Promise.all([
          t.container.events.ingest(shop.id, completed(`o-a-${round}`, customer)),
          second.container.events.ingest(shop.id, completed(`o-b-${round}`, customer)),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
        expect(await balanceOf(t.app, shop, customer)).toMatchObject({ pending: 20 });
        const created = await query(`SELECT count(*)::int AS n FROM outbox o JOIN members m ON m.shop_id = o.shop_id AND m.id = o.member_id
          WHERE o.shop_id = $1 AND m.customer_id = $2 AND o.type = 'member.created'`, [shop.id, customer]);
        expect(created).toEqual([{ n: 1 }]);
      }
      expect(await query('SELECT count(*)::int AS n FROM members WHERE shop_id = $1', [shop.id])).toEqual([{ n: 5 }]);
    } finally {
      await second.close();
    }
  });

  it('a known member\'s orders through two processes at once: a shared write whose version guard lost goes locked, every award once', async () => {
    const second = await buildTestApp({ clock, databaseUrl: t.config.databaseUrl });
    try {
      const shop = await createShop(t.app);
      await ingest(shop.id, completed('o-first', 'hot'));
      const events = Array.from({ length: 40 }, (_, i) => completed(`o-hot-${i}`, 'hot'));
      const outcomes = await Promise.all(events.map((e, i) => (i % 2 === 0 ? t.container : second.container).events.ingest(shop.id, e)));
      expect(outcomes.map((o) => o.status)).toEqual(events.map(() => 'applied'));
      // The two processes raced for the member: some shared writes lost their guard, and those events went locked.
      expect(outcomes.some((o) => o.path === 'locked')).toBe(true);
      expect(await balanceOf(t.app, shop, 'hot')).toMatchObject({ pending: 410 });
      const [row] = await query(`SELECT version, (SELECT count(*)::int FROM ledger_entries e WHERE e.shop_id = m.shop_id AND e.member_id = m.id) AS entries
        FROM members m WHERE shop_id = $1 AND customer_id = 'hot'`, [shop.id]);
      expect(row).toEqual({ version: 41, entries: 41 });
      const check = await t.app.inject({ method: 'GET', url: '/v1/ledger/check', headers: shop.auth });
      expect(check.json()).toMatchObject({ ok: true });
    } finally {
      await second.close();
    }
  });
});

describe('group commit', () => {
  it('60 events at once share statements, and each is answered and written on its own', async () => {
    const shop = await createShop(t.app);
    const before = t.container.orderEvents.batchStats().writes;
    const events = Array.from({ length: 60 }, (_, i) => completed(`o-${i}`, `c-${i % 40}`, 1_000 * (1 + (i % 3))));
    const outcomes = await Promise.all(events.map((e) => ingest(shop.id, e)));
    expect(outcomes.map((o) => o.status)).toEqual(events.map(() => 'applied'));
    const after = t.container.orderEvents.batchStats().writes;
    // Fewer statements than events: they were shared.
    expect(after.items - before.items).toBeGreaterThan(0);
    expect(after.batches - before.batches).toBeLessThan(after.items - before.items);
    const pending = await query(`SELECT customer_id, pending::int FROM members WHERE shop_id = $1 ORDER BY customer_id`, [shop.id]);
    const expected = new Map<string, number>();
    events.forEach((_, i) => expected.set(`c-${i % 40}`, (expected.get(`c-${i % 40}`) ?? 0) + 10 * (1 + (i % 3))));
    expect(pending).toEqual([...expected].sort(([a], [b]) => a.localeCompare(b)).map(([customer_id, p]) => ({ customer_id, pending: p })));
    const check = await t.app.inject({ method: 'GET', url: '/v1/ledger/check', headers: shop.auth });
    expect(check.json()).toMatchObject({ ok: true });
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`lojal_group_commit_statements_total{statement="write"} ${after.batches}`);
    expect(metrics).toContain(`lojal_group_commit_events_total{statement="write"} ${after.items}`);
  });

  it('an event id sent twice at once among others: applied once, a duplicate once, the others unharmed', async () => {
    const shop = await createShop(t.app);
    const twin = completed('o-twin', 'tw-1');
    const events = [...Array.from({ length: 20 }, (_, i) => completed(`o-${i}`, `tw-${i + 2}`)), twin, { ...twin }];
    const outcomes = await Promise.all(events.map((e) => ingest(shop.id, e)));
    expect(outcomes.slice(0, 20).map((o) => o.status)).toEqual(Array(20).fill('applied'));
    expect(outcomes.slice(20).map((o) => o.status).sort()).toEqual(['applied', 'duplicate']);
    expect(await query('SELECT count(*)::int AS n FROM ledger_entries WHERE shop_id = $1', [shop.id])).toEqual([{ n: 21 }]);
  });

  it('an event whose write fails fails alone: the others in its statement are written', async () => {
    const shop = await createShop(t.app);
    // A member row made unwritable for one customer (a CHECK constraint its award breaks), beside healthy ones.
    await query(`ALTER TABLE members ADD CONSTRAINT test_poison CHECK (customer_id <> 'poison' OR pending = 0) NOT VALID`, []);
    try {
      const events = [completed('o-poison', 'poison'), ...Array.from({ length: 15 }, (_, i) => completed(`o-${i}`, `ok-${i}`))];
      const outcomes = await Promise.allSettled(events.map((e) => ingest(shop.id, e)));
      expect(outcomes[0]!.status).toBe('rejected');
      expect(outcomes.slice(1).map((o) => (o.status === 'fulfilled' ? o.value.status : o.reason))).toEqual(Array(15).fill('applied'));
    } finally {
      await query('ALTER TABLE members DROP CONSTRAINT test_poison', []);
    }
  });
});
