import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, sendEvent } from '../helpers/events.ts';
import { deliver, wcOrder, type WcOrderSpec } from '../helpers/woocommerce.ts';

// D3, D4, D5, D15 through WooCommerce's own webhooks: the order as it is when delivered, merged, repeated and out
// of order, gives the ledger Lojal's own events give for the same story.
const clock = fixedClock('2026-11-20T15:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock, env: { DATABASE_POOL_MAX: '4' } });
});
afterAll(() => t.close());

const day = (hhmm: string) => `2026-11-20T${hhmm}:00`;
const MUG = { id: 1, productId: 11, sku: 'LJ-MUG', name: 'Mug', quantity: 4, subtotal: '50.00', total: '45.00' };
const TEE = { id: 2, productId: 12, sku: 'LJ-TEE', name: 'Tee', quantity: 1, subtotal: '25.00', total: '22.50' };

/** Each order's life as WooCommerce would deliver it, one body per step (the state after the step). */
function story(): WcOrderSpec[][] {
  const a = { id: 101, customerId: 7, email: 'ana@example.com', lines: [MUG, TEE], shipping: '5.00', total: '72.50', created: day('10:00'), coupons: [{ id: 31, code: 'loyal10', discount: '7.50' }] };
  const paidA = { ...a, paid: day('10:05') };
  const doneA = { ...paidA, completed: day('10:10') };
  const b = { id: 102, email: 'Bea@Example.com', lines: [{ id: 1, productId: 14, quantity: 1, subtotal: '49.90', total: '49.90' }], fees: [{ id: 41, total: '-5.00' }], shipping: '5.00', tax: '3.99', total: '53.89', created: day('11:00'), paid: day('11:00') };
  const c = { id: 103, customerId: 8, email: 'cid@example.com', lines: [{ id: 1, productId: 13, quantity: 5, subtotal: '20.00', total: '20.00' }], total: '20.00', created: day('11:55'), paid: day('12:00') };
  const d = { id: 104, customerId: 7, email: 'ana@example.com', lines: [{ ...MUG, quantity: 2, subtotal: '25.00', total: '25.00' }], total: '25.00', created: day('13:00') };
  const e = { id: 105, customerId: 9, email: 'eve@example.com', lines: [{ ...TEE, total: '25.00' }], shipping: '5.00', total: '30.00', created: day('14:00') };
  return [
    [
      { ...a, status: 'pending', modified: day('10:00') },
      { ...paidA, status: 'processing', modified: day('10:05') },
      { ...doneA, status: 'completed', modified: day('10:10') },
      { ...doneA, status: 'completed', modified: day('10:20'), refunds: [{ id: 201, total: '-22.50', reason: 'Tee returned' }] },
      { ...doneA, status: 'refunded', modified: day('10:30'), refunds: [{ id: 201, total: '-22.50' }, { id: 202, total: '-50.00' }] },
    ],
    [
      { ...b, status: 'processing', modified: day('11:00') },
      { ...b, status: 'completed', completed: day('11:30'), modified: day('11:30') },
      { ...b, status: 'completed', completed: day('11:30'), modified: day('12:00'), refunds: [{ id: 203, total: '-10.00' }] },
    ],
    [
      { ...c, status: 'processing', modified: day('12:00') },
      { ...c, status: 'cancelled', modified: day('12:30') },
    ],
    [
      { ...d, status: 'failed', modified: day('13:01') },
      { ...d, status: 'processing', paid: day('13:10'), modified: day('13:10') },
      { ...d, status: 'completed', paid: day('13:10'), completed: day('13:20'), modified: day('13:20') },
    ],
    [
      { ...e, status: 'on-hold', modified: day('14:00') },
      { ...e, status: 'processing', paid: day('14:10'), modified: day('14:10') },
      { ...e, status: 'completed', paid: day('14:10'), completed: day('14:20'), modified: day('14:20') },
      { ...e, status: 'refunded', paid: day('14:10'), completed: day('14:20'), modified: day('14:40'), refunds: [{ id: 204, total: '-30.00' }] },
    ],
  ];
}

/** The same story as Lojal's own events (docs/events.md), written out by hand: amounts in cents, refunds by amount. */
function ownEvents() {
  const customer = (id: string | null, email: string) => ({ id, email, ...(id ? { emailVerified: true } : {}), firstName: 'Fay', lastName: 'Hpos' });
  const order = (id: string, c: ReturnType<typeof customer>, lines: unknown[], amounts: { subtotal: number; discount?: number; shipping?: number; tax?: number; total: number }, placedAt: string) => ({
    id, number: id, customer: c, currency: 'USD', lines, discount: 0, shipping: 0, tax: 0, ...amounts, pointsRedeemed: null, placedAt: `${placedAt}Z`,
  });
  const line = (id: string, productId: string, quantity: number, unitPrice: number, discount = 0, sku?: string) => ({ id, productId, ...(sku ? { sku } : {}), quantity, unitPrice, total: quantity * unitPrice, discount });
  const a = order('101', customer('7', 'ana@example.com'), [line('1', '11', 4, 1250, 500, 'LJ-MUG'), line('2', '12', 1, 2500, 250, 'LJ-TEE')], { subtotal: 6750, shipping: 500, total: 7250 }, day('10:00'));
  const b = order('102', customer(null, 'bea@example.com'), [line('1', '14', 1, 4990)], { subtotal: 4990, discount: 500, shipping: 500, tax: 399, total: 5389 }, day('11:00'));
  const c = order('103', customer('8', 'cid@example.com'), [line('1', '13', 5, 400)], { subtotal: 2000, total: 2000 }, day('11:55'));
  const d = order('104', customer('7', 'ana@example.com'), [line('1', '11', 2, 1250, 0, 'LJ-MUG')], { subtotal: 2500, total: 2500 }, day('13:00'));
  const e = order('105', customer('9', 'eve@example.com'), [line('2', '12', 1, 2500, 0, 'LJ-TEE')], { subtotal: 2500, shipping: 500, total: 3000 }, day('14:00'));
  const at = (hhmm: string) => `${day(hhmm)}Z`;
  const ev = (type: string, o: unknown, when: string, refund?: unknown) => envelope(type, { order: o, ...(refund ? { refund } : {}) }, at(when));
  return [
    ev('order.placed', a, '10:00'), ev('order.paid', a, '10:05'), ev('order.completed', a, '10:10'),
    ev('order.refunded', a, '10:20', { id: '201', amount: 2250 }), ev('order.refunded', a, '10:30', { id: '202', amount: 5000 }),
    ev('order.paid', b, '11:00'), ev('order.completed', b, '11:30'), ev('order.refunded', b, '12:00', { id: '203', amount: 1000 }),
    ev('order.paid', c, '12:00'), ev('order.cancelled', c, '12:30'),
    ev('order.cancelled', d, '13:01'), ev('order.paid', d, '13:10'), ev('order.completed', d, '13:20'),
    ev('order.placed', e, '14:00'), ev('order.paid', e, '14:10'), ev('order.completed', e, '14:20'), ev('order.refunded', e, '14:40', { id: '204', amount: 3000 }),
  ];
}

type Delivery = { topic: string; body: ReturnType<typeof wcOrder> };

function deliveries(steps: WcOrderSpec[][]): Delivery[] {
  return steps.flatMap((life) => life.map((spec, i) => ({ topic: i === 0 ? 'order.created' : 'order.updated', body: wcOrder(spec) })));
}

/** In time order, as WooCommerce would send them one step at a time. */
const clean = () => deliveries(story()).sort((x, y) => x.body.date_modified_gmt.localeCompare(y.body.date_modified_gmt));
/** Quick successive changes merged: only the last state of each order (the first one too for order 101). */
const merged = () => deliveries(story().map((life, i) => (i === 0 ? [life[0]!, life.at(-1)!] : [life.at(-1)!])));
/** Each state twice, under order.created and order.updated, as a Store API checkout sends them. */
const twice = () => clean().flatMap((d) => [{ ...d, topic: 'order.updated' }, { ...d, topic: 'order.created' }]);

function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffledWithRepeats(list: Delivery[], seed: number): Delivery[] {
  const rnd = random(seed);
  const out = list.flatMap((d) => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => d));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function send(shop: TestShop, list: Delivery[], { together = false } = {}) {
  const one = async (d: Delivery) => {
    const response = await deliver(t.app, shop.id, d.topic, d.body, { secret: shop.webhookSecret });
    expect(response.statusCode, response.body).toBe(200);
  };
  if (together) await Promise.all(list.map(one));
  else for (const d of list) await one(d);
}

async function shopWith(awardOn: string): Promise<TestShop> {
  const shop = await createShop(t.app, { currency: 'USD' });
  const response = await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { awardOn } });
  expect(response.statusCode, response.body).toBe(200);
  return shop;
}

async function ledgerOf(shop: TestShop) {
  const pool = t.container.database.pool;
  const rows = async (sql: string) => (await pool.query(sql, [shop.id])).rows;
  return {
    members: await rows(`SELECT customer_id, email, pending, available, held, lifetime_earned FROM members WHERE shop_id = $1 ORDER BY customer_id`),
    // cancelled_at is left out: a merged delivery may never show that an order once failed (its award is compared).
    orders: await rows(`SELECT order_id, customer_id, guest_email, status, status_at, award_status, award_points, award_lines, awarded_at, award_available_at, reversed_points
                          FROM orders WHERE shop_id = $1 ORDER BY order_id`),
    entries: await rows(`SELECT order_id, kind, from_bucket, to_bucket, points, refund_id FROM ledger_entries WHERE shop_id = $1 ORDER BY order_id, kind, refund_id NULLS FIRST, points`),
  };
}

async function mature(shop: TestShop) {
  const response = await t.app.inject({
    method: 'POST', url: `/v1/admin/shops/${shop.id}/jobs/mature`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { asOf: '2026-12-20T00:00:00Z' },
  });
  expect(response.statusCode).toBe(200);
}

describe.each(['completed', 'paid'])('awardOn: %s', (awardOn) => {
  let expected: Awaited<ReturnType<typeof ledgerOf>>;
  let expectedMatured: Awaited<ReturnType<typeof ledgerOf>>;
  beforeAll(async () => {
    const own = await shopWith(awardOn);
    for (const event of ownEvents()) {
      const response = await sendEvent(t.app, own, event, { t: Math.floor(clock.now().getTime() / 1000) });
      expect(response.statusCode, response.body).toBe(202);
    }
    expected = await ledgerOf(own);
    await mature(own);
    expectedMatured = await ledgerOf(own);
  });

  it('the story is worth comparing: awards, partial and full refunds, a voided or unawarded cancellation', () => {
    const byId = Object.fromEntries(expected.orders.map((o) => [o.order_id, o]));
    expect(byId['101']).toMatchObject({ award_points: 67, reversed_points: 67, status: 'refunded' });
    // 44 × 10.00 ÷ 48.89 (the line after the fee's discount, with its tax), rounded down.
    expect(byId['102']).toMatchObject({ guest_email: 'bea@example.com', award_points: 44, reversed_points: 8 });
    expect(byId['103']!.award_status).toBe(awardOn === 'paid' ? 'void' : null);
    expect(byId['104']).toMatchObject({ award_status: 'pending', award_points: 25 });
    expect(byId['105']).toMatchObject({ award_points: 25, reversed_points: 25 });
    expect(expected.entries.filter((e) => e.kind === 'reverse').map((e) => e.refund_id).sort()).toEqual(['201', '202', '204']);
  });

  it.each([
    ['one delivery a step, in time order', clean],
    ['merged: only the last state of each order', merged],
    ['each state twice (order.created and order.updated)', twice],
    ['shuffled with repeats (seed 1)', () => shuffledWithRepeats(twice(), 1)],
    ['shuffled with repeats (seed 2)', () => shuffledWithRepeats(clean(), 2)],
    ['shuffled with repeats (seed 3)', () => shuffledWithRepeats(twice(), 3)],
  ])('%s: the same ledger as Lojal\'s own events, and after maturing', async (_label, stream) => {
    const shop = await shopWith(awardOn);
    await send(shop, stream());
    expect(await ledgerOf(shop)).toEqual(expected);
    await mature(shop);
    expect(await ledgerOf(shop)).toEqual(expectedMatured);
  });

  it('all at once, shuffled with repeats: the same ledger', { timeout: 60_000 }, async () => {
    const shop = await shopWith(awardOn);
    await send(shop, shuffledWithRepeats(twice(), 4), { together: true });
    expect(await ledgerOf(shop)).toEqual(expected);
  });
});

describe('cash on delivery, as WooCommerce 11 sends it: processing without date_paid, paid when completed', () => {
  const cod = { id: 106, customerId: 11, email: 'gus@example.com', lines: [{ id: 1, productId: 14, quantity: 1, subtotal: '49.90', total: '49.90' }], total: '49.90', created: day('09:00') };
  const processing = { topic: 'order.updated', body: wcOrder({ ...cod, status: 'processing', paid: null, modified: day('09:00') }) };
  const completed = { topic: 'order.updated', body: wcOrder({ ...cod, status: 'completed', paid: day('09:40'), completed: day('09:40'), modified: day('09:40') }) };
  const award = async (shop: TestShop) =>
    (await t.container.database.pool.query(`SELECT award_points, awarded_at FROM orders WHERE shop_id = $1`, [shop.id])).rows[0];

  it('awardOn completed: the same ledger whichever delivery comes first', async () => {
    const [inOrder, reversed] = [await shopWith('completed'), await shopWith('completed')];
    await send(inOrder, [processing, completed]);
    await send(reversed, [completed, processing]);
    expect(await ledgerOf(reversed)).toEqual(await ledgerOf(inOrder));
    expect(await award(inOrder)).toEqual({ award_points: 49, awarded_at: new Date(`${day('09:40')}Z`) });
  });

  it('awardOn paid: the same points; the award dates from the first delivery that shows the order paid', async () => {
    const [inOrder, reversed] = [await shopWith('paid'), await shopWith('paid')];
    await send(inOrder, [processing, completed]);
    await send(reversed, [completed, processing]);
    expect(await award(inOrder)).toEqual({ award_points: 49, awarded_at: new Date(`${day('09:00')}Z`) });
    expect(await award(reversed)).toEqual({ award_points: 49, awarded_at: new Date(`${day('09:40')}Z`) });
  });
});
