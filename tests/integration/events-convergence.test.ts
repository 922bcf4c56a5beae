import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';

// D3, D5, D15: whatever the order and repetition of delivery, the ledger ends the same.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock, env: { DATABASE_POOL_MAX: '4' } });
});
afterAll(() => t.close());

/** A small seeded generator, so a failure can be replayed exactly. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Event = ReturnType<typeof envelope>;

function stream(seed: number): Event[] {
  const rnd = random(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const at = (minutes: number) => new Date(Date.parse('2026-11-18T00:00:00Z') + minutes * 60_000).toISOString();
  const events: Event[] = [];
  for (let i = 1; i <= 20; i++) {
    const lines = Array.from({ length: 1 + pick(3) }, () => ({ unitPrice: 500 + pick(20_000), quantity: 1 + pick(4) }));
    const o = order(`o-${i}`, { customerId: `c-${1 + pick(5)}`, lines, shipping: pick(2) * 1500 });
    const base = i * 60;
    events.push(envelope('order.placed', { order: o }, at(base)));
    events.push(envelope('order.completed', { order: o }, at(base + 10)));
    if (rnd() < 0.4) {
      // The status goes back and forth: new events, new ids, the same order (D3: still one award).
      events.push(envelope('order.paid', { order: o }, at(base + 12)));
      events.push(envelope('order.completed', { order: o }, at(base + 15)));
    }
    if (rnd() < 0.5) {
      const line = o.lines[pick(o.lines.length)]!;
      const quantity = 1 + pick(line.quantity);
      const refund = { id: `rf-${i}-a`, amount: quantity * line.unitPrice, lines: [{ lineId: line.id, quantity, amount: quantity * line.unitPrice }] };
      events.push(envelope('order.refunded', { order: o, refund }, at(base + 20)));
      // The storefront sends the same refund again under a new event id (D5: a refund id is applied once).
      if (rnd() < 0.5) events.push(envelope('order.refunded', { order: o, refund }, at(base + 25)));
    }
    if (rnd() < 0.3) events.push(envelope('order.refunded', { order: o, refund: { id: `rf-${i}-b`, amount: 1 + pick(o.total) } }, at(base + 30)));
    if (rnd() < 0.2) events.push(envelope('order.cancelled', { order: o }, at(base + 40)));
  }
  return events;
}

async function deliver(shop: TestShop, events: Event[]) {
  for (const event of events) {
    const response = await sendEvent(t.app, shop, event, { t: Math.floor(clock.now().getTime() / 1000) });
    expect(response.statusCode, response.body).toBe(202);
  }
}

async function outcome(shop: TestShop) {
  const pool = t.container.database.pool;
  const members = await pool.query(
    `SELECT customer_id, pending, available, held, lifetime_earned FROM members WHERE shop_id = $1 ORDER BY customer_id`,
    [shop.id],
  );
  const orders = await pool.query(
    `SELECT order_id, status, award_status, award_points, reversed_points FROM orders WHERE shop_id = $1 ORDER BY order_id`,
    [shop.id],
  );
  // A voided award nets to zero either way; whether a refund that came before the cancellation shows as a
  // reversal or inside the void depends on which arrived first, so only live awards compare their reversals.
  const comparable = orders.rows.map((o) => (o.award_status === 'void' ? { ...o, reversed_points: 'void' } : o));
  return { members: members.rows, orders: comparable };
}

/** D5: the reversals and write-offs that name no refund of their order; only a cancellation's may. */
async function unnamedReversals(shop: TestShop) {
  const rows = await t.container.database.pool.query(
    `SELECT e.order_id, e.kind, e.refund_id FROM ledger_entries e JOIN orders o ON o.shop_id = e.shop_id AND o.order_id = e.order_id
      WHERE e.shop_id = $1 AND e.kind IN ('reverse', 'writeoff')
        AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.shop_id = e.shop_id AND r.order_id = e.order_id AND r.refund_id = e.refund_id)
        AND (e.refund_id IS NOT NULL OR o.cancelled_at IS NULL)`,
    [shop.id],
  );
  return rows.rows;
}

function shuffledWithRepeats(events: Event[], seed: number): Event[] {
  const rnd = random(seed);
  const out = events.flatMap((e) => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => e));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('out-of-order, repeated delivery', () => {
  it('20 random orders: three shuffles with repeats end in the same ledger as the clean stream', { timeout: 120_000 }, async () => {
    const events = stream(2026);
    const clean = await createShop(t.app);
    await deliver(clean, events);
    const expected = await outcome(clean);
    expect(await unnamedReversals(clean)).toEqual([]);
    expect(expected.orders.filter((o) => o.award_status !== null)).toHaveLength(20);
    expect(expected.orders.some((o) => o.reversed_points > 0)).toBe(true);
    expect(expected.orders.some((o) => o.award_status === 'void')).toBe(true);

    for (const seed of [1, 2, 3]) {
      const shop = await createShop(t.app);
      await deliver(shop, shuffledWithRepeats(events, seed));
      expect(await outcome(shop), `shuffle ${seed}`).toEqual(expected);
      expect(await unnamedReversals(shop), `shuffle ${seed}`).toEqual([]);
    }
  });
});
