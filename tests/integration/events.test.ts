import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import { envelope, order, sendEvent as sendSigned } from '../helpers/events.ts';
import { adjust, balanceOf } from '../helpers/members.ts';

// D18: the service's clock is fixed; signatures are made at the same instant.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ env: { BODY_LIMIT_BYTES: '65536' }, clock });
});

const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
const sendEvent: typeof sendSigned = (app, shop, event, options = {}) => sendSigned(app, shop, event, { t: nowSeconds(), ...options });
afterAll(() => t.close());

const count = async (table: string, shopId: string) =>
  (await t.container.database.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE shop_id = $1`, [shopId])).rows[0].n as number;

async function orderView(shop: TestShop, orderId: string) {
  return (await t.app.inject({ method: 'GET', url: `/v1/orders/${orderId}`, headers: shop.auth })).json();
}

/** D18: running ahead of the present is the operator's, for one shop. */
async function mature(shop: TestShop, asOf: string) {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const response = await t.app.inject({ method: 'POST', url: `/v1/admin/shops/${shop.id}/jobs/mature`, headers, payload: { asOf } });
  expect(response.statusCode).toBe(200);
  return response.json().counts;
}

describe('signatures (D20)', () => {
  it.each([
    ['missing', { signature: null }],
    ['malformed', { signature: 'v1=abc' }],
    ['made with another secret', { secret: 'lj_whsec_not-the-shops' }],
    ['over 300 s old', { t: nowSeconds() - 301 }],
    ['300 s in the future and more', { t: nowSeconds() + 400 }],
  ])('refuses a %s signature with 401 and stores nothing', async (_label, options) => {
    const shop = await createShop(t.app);
    const response = await sendEvent(t.app, shop, envelope('order.completed', { order: order('o1') }), options);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toMatch(/^signature_(invalid|expired)$/);
    expect(await count('inbound_events', shop.id)).toBe(0);
    expect(await count('orders', shop.id)).toBe(0);
  });

  it('says signature_expired for a good but old signature', async () => {
    const shop = await createShop(t.app);
    const response = await sendEvent(t.app, shop, envelope('order.completed', { order: order('o1') }), { t: nowSeconds() - 3600 });
    expect(response.json().code).toBe('signature_expired');
  });

  it('accepts a signature exactly 300 s away from now, either way, and expires it one second later', async () => {
    const shop = await createShop(t.app);
    const at = async (offset: number, orderId: string) => sendEvent(t.app, shop, envelope('order.placed', { order: order(orderId) }), { t: nowSeconds() + offset });
    expect((await at(-300, 'edge-1')).statusCode).toBe(202);
    expect((await at(300, 'edge-2')).statusCode).toBe(202);
    for (const offset of [-301, 301]) {
      const late = await at(offset, 'edge-3');
      expect(late.statusCode).toBe(401);
      expect(late.json().code).toBe('signature_expired');
    }
    expect(await count('orders', shop.id)).toBe(2);
  });

  it('refuses a body changed after signing', async () => {
    const shop = await createShop(t.app);
    const event = envelope('order.completed', { order: order('o1') });
    const signed = await sendEvent(t.app, shop, event, { signature: undefined });
    expect(signed.statusCode).toBe(202);
    const raw = JSON.stringify({ ...event, id: 'other' });
    const tampered = await sendEvent(t.app, shop, null, {
      raw,
      signature: (await import('../../services/core/events/signature.ts')).signatureHeader(shop.webhookSecret, JSON.stringify(event), nowSeconds()),
    });
    expect(tampered.statusCode).toBe(401);
  });

  it('accepts the previous secret during a rotation overlap', async () => {
    const shop = await createShop(t.app);
    const rotated = await t.container.shops.rotateSecrets(shop.id);
    const old = await sendEvent(t.app, shop, envelope('order.placed', { order: order('r1') }));
    const fresh = await sendEvent(t.app, shop, envelope('order.placed', { order: order('r2') }), { secret: rotated.webhookSecret });
    expect([old.statusCode, fresh.statusCode]).toEqual([202, 202]);
  });
});

describe('bad input', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await createShop(t.app);
  });

  it('answers an unknown event type with 422', async () => {
    const response = await sendEvent(t.app, shop, envelope('order.teleported', { order: order('x') }));
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('unsupported_event_type');
  });

  it.each([
    ['a negative quantity', { lines: [{ ...order('x').lines[0], quantity: -1 }] }, '/data/order/lines/0/quantity'],
    ['an amount over 2^53', { total: 2 ** 53 + 2 }, '/data/order/total'],
    ['a fractional amount', { shipping: 1.5 }, '/data/order/shipping'],
    ['an unknown currency', { currency: 'XYZ' }, '/data/order/currency'],
    ['a missing order id', { id: undefined }, '/data/order/id'],
  ])('refuses %s with 400 validation_failed and stores nothing', async (_label, change, field) => {
    const bad = { ...order('bad-1'), ...change };
    const response = await sendEvent(t.app, shop, envelope('order.completed', { order: bad }));
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await count('orders', shop.id)).toBe(0);
  });

  it('refuses a body over the limit with 413', async () => {
    const huge = { ...order('big'), note: 'x'.repeat(70_000) };
    const response = await sendEvent(t.app, shop, envelope('order.completed', { order: huge }));
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe('payload_too_large');
  });

  it('answers 422 currency_mismatch for another currency without a rate, and stores nothing', async () => {
    const shop = await createShop(t.app);
    const response = await sendEvent(t.app, shop, envelope('order.completed', { order: order('eur-1', { currency: 'EUR' }) }));
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('currency_mismatch');
    expect(await count('inbound_events', shop.id)).toBe(0);
    expect(await count('orders', shop.id)).toBe(0);
  });
});

describe('earning on completed orders (D2, D3)', () => {
  it('awards pending points once, whatever the repetitions, and matures them after pendingDays', async () => {
    const shop = await createShop(t.app);
    const o = order('1001', { lines: [{ unitPrice: 19_900, quantity: 2 }], shipping: 1500 });
    const completed = envelope('order.completed', { order: o }, '2026-11-20T10:00:00Z');
    expect((await sendEvent(t.app, shop, envelope('order.placed', { order: o }, '2026-11-20T09:00:00Z'))).json().status).toBe('applied');
    expect((await sendEvent(t.app, shop, completed)).json().status).toBe('applied');
    expect((await sendEvent(t.app, shop, completed)).json().status).toBe('duplicate'); // same event id
    // Back and forth between statuses, new event ids: still one award.
    await sendEvent(t.app, shop, envelope('order.paid', { order: o }, '2026-11-20T11:00:00Z'));
    expect((await sendEvent(t.app, shop, envelope('order.completed', { order: o }, '2026-11-20T12:00:00Z'))).json().status).toBe('duplicate');

    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 0, pending: 398, held: 0 });
    const view = await orderView(shop, '1001');
    expect(view.award).toMatchObject({ points: 398, status: 'pending', availableAt: '2026-12-04T10:00:00.000Z' });
    expect(view.award.lines).toEqual([expect.objectContaining({ lineId: '1', eligible: 39_800, basePoints: 398, points: 398 })]);

    expect(await mature(shop, '2026-12-04T09:59:59Z')).toEqual({ matured: 0, points: 0 });
    expect(await mature(shop, '2026-12-04T10:00:00Z')).toEqual({ matured: 1, points: 398 });
    expect(await mature(shop, '2026-12-05T00:00:00Z')).toEqual({ matured: 0, points: 0 }); // idempotent
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 398, pending: 0, held: 0 });
    expect((await orderView(shop, '1001')).award.status).toBe('available');
  });

  it('awards on paid when the program says so, and not on placed', async () => {
    const shop = await createShop(t.app);
    await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { awardOn: 'paid' } });
    const o = order('p-1');
    await sendEvent(t.app, shop, envelope('order.placed', { order: o }));
    expect((await orderView(shop, 'p-1')).award).toBeNull();
    await sendEvent(t.app, shop, envelope('order.paid', { order: o }));
    expect((await orderView(shop, 'p-1')).award.points).toBe(100);
    expect((await sendEvent(t.app, shop, envelope('order.completed', { order: o }))).json().status).toBe('duplicate');
  });

  it('stores the exchange rate of an order in another currency on its entries (D1)', async () => {
    const shop = await createShop(t.app);
    await sendEvent(t.app, shop, envelope('order.completed', { order: order('eur-2', { currency: 'EUR', exchangeRate: 4.3, lines: [{ unitPrice: 1000 }] }) }));
    const view = await orderView(shop, 'eur-2');
    expect(view).toMatchObject({ currency: 'EUR', exchangeRate: '4.3', award: { points: 43, eligible: 4300 } });
    const activity = await t.container.database.pool.query(`SELECT exchange_rate FROM ledger_entries WHERE shop_id = $1`, [shop.id]);
    expect(activity.rows).toEqual([{ exchange_rate: '4.3' }]);
  });
});

describe('cancellation (D4)', () => {
  it('voids pending points', async () => {
    const shop = await createShop(t.app);
    await sendEvent(t.app, shop, envelope('order.completed', { order: order('c-1') }, '2026-11-20T10:00:00Z'));
    await sendEvent(t.app, shop, envelope('order.cancelled', { order: order('c-1') }, '2026-11-21T10:00:00Z'));
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 0, pending: 0, held: 0 });
    expect((await orderView(shop, 'c-1')).award.status).toBe('void');
    expect(await mature(shop, '2027-01-01T00:00:00Z')).toEqual({ matured: 0, points: 0 });
  });

  it('counts as a full refund after maturity', async () => {
    const shop = await createShop(t.app);
    await sendEvent(t.app, shop, envelope('order.completed', { order: order('c-2') }, '2026-11-01T10:00:00Z'));
    // Completed 19 days before "now": already past its 14 pending days, it matured as it arrived.
    expect((await orderView(shop, 'c-2')).award.status).toBe('available');
    await sendEvent(t.app, shop, envelope('order.cancelled', { order: order('c-2') }, '2026-11-20T10:00:00Z'));
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 0, pending: 0, held: 0 });
    expect((await orderView(shop, 'c-2')).reversed).toBe(100);
  });
});

describe('refunds and returns (D5)', () => {
  async function awarded(lines = [{ unitPrice: 10_000, quantity: 3 }, { unitPrice: 5_000, quantity: 2 }], matureToo = false) {
    const shop = await createShop(t.app);
    const o = order('r-1', { lines });
    await sendEvent(t.app, shop, envelope('order.completed', { order: o }, '2026-11-19T10:00:00Z'));
    if (matureToo) await mature(shop, '2026-12-03T10:00:00Z');
    return { shop, o };
  }
  const refund = (shop: TestShop, o: ReturnType<typeof order>, refundData: Record<string, unknown>) =>
    sendEvent(t.app, shop, envelope('order.refunded', { order: o, refund: refundData }, '2026-11-20T10:00:00Z'));

  it('reverses returned lines by their snapshot, pending first, each refund id once', async () => {
    const { shop, o } = await awarded();
    expect((await orderView(shop, 'r-1')).award.points).toBe(400);
    const first = await refund(shop, o, { id: 'rf-1', amount: 10_000, lines: [{ lineId: '1', quantity: 1, amount: 10_000 }] });
    expect(first.json().status).toBe('applied');
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 0, pending: 300, held: 0 });
    const again = await refund(shop, o, { id: 'rf-1', amount: 10_000, lines: [{ lineId: '1', quantity: 1, amount: 10_000 }] });
    expect(again.json().status).toBe('duplicate');
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 0, pending: 300, held: 0 });
    await mature(shop, '2026-12-03T10:00:00Z');
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 300, pending: 0, held: 0 });
  });

  it('reverses amount-only refunds in proportion', async () => {
    const { shop, o } = await awarded(undefined, true);
    await refund(shop, o, { id: 'rf-a', amount: 10_000 }); // a quarter of 40 000 paid
    expect(await balanceOf(t.app, shop, 'c1')).toMatchObject({ available: 300 });
  });

  it('three partial refunds then the rest reverse exactly the award', async () => {
    const { shop, o } = await awarded([{ unitPrice: 3_333, quantity: 7 }], true);
    const award = (await orderView(shop, 'r-1')).award.points;
    expect(award).toBe(233); // floor(7 × 3 333 / 100)
    // Cumulative units refunded 2, 3, 6, then the last one: floor(233 × units / 7) taken back so far.
    for (const [id, quantity, reversed] of [['p1', 2, 66], ['p2', 1, 99], ['p3', 3, 199], ['p4', 1, 233]] as const) {
      const response = await refund(shop, o, { id, amount: quantity * 3_333, lines: [{ lineId: '1', quantity, amount: quantity * 3_333 }] });
      expect(response.statusCode, id).toBe(202);
      expect(response.json(), id).toMatchObject({ id: expect.any(String), status: 'applied' });
      expect((await orderView(shop, 'r-1')).reversed, id).toBe(reversed);
      expect(await balanceOf(t.app, shop, 'c1'), id).toEqual({ available: award - reversed, pending: 0, held: 0 });
    }
    expect(await count('ledger_entries', shop.id)).toBe(6); // earn, mature, four reversals
    // A further refund of the same order can never take more: applied, and nothing written to the ledger.
    const last = await refund(shop, o, { id: 'p5', amount: 99_999 });
    expect(last.statusCode).toBe(202);
    expect(last.json().status).toBe('applied');
    expect((await orderView(shop, 'r-1')).reversed).toBe(award);
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 0, pending: 0, held: 0 });
    expect(await count('ledger_entries', shop.id)).toBe(6);
  });

  it('lets the balance go into debt after the points were spent (negativeBalance: allow)', async () => {
    const { shop, o } = await awarded(undefined, true);
    await adjust(t.app, shop, 'c1', { points: -350, reason: 'spent' });
    await refund(shop, o, { id: 'rf-all', amount: 40_000 });
    expect(await balanceOf(t.app, shop, 'c1')).toMatchObject({ available: -350 });
  });

  it('writes the shortfall off under negativeBalance: writeoff', async () => {
    const { shop, o } = await awarded(undefined, true);
    await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { negativeBalance: 'writeoff' } });
    await adjust(t.app, shop, 'c1', { points: -350, reason: 'spent' });
    await refund(shop, o, { id: 'rf-all', amount: 40_000 });
    expect(await balanceOf(t.app, shop, 'c1')).toMatchObject({ available: 0 });
    expect(await orderView(shop, 'r-1')).toMatchObject({ reversed: 400, writtenOff: 350 });
  });
});

describe('guests (D10)', () => {
  it('accrues a guest order to its e-mail and gives it to the member who verifies that e-mail', async () => {
    const shop = await createShop(t.app);
    await sendEvent(t.app, shop, envelope('order.completed', { order: order('g-1', { customerId: null, email: 'Guest@Example.com' }) }, '2026-11-01T10:00:00Z'));
    expect((await orderView(shop, 'g-1'))).toMatchObject({ guest: true, award: { points: 100, status: 'available' } });
    // Not verified: nothing claimed.
    await t.app.inject({ method: 'PUT', url: '/v1/members/m-9', headers: shop.auth, payload: { email: 'guest@example.com', emailVerified: false } });
    expect(await balanceOf(t.app, shop, 'm-9')).toEqual({ available: 0, pending: 0, held: 0 });
    const claim = await sendEvent(t.app, shop, envelope('customer.upserted', { customer: { id: 'm-9', email: 'guest@example.com', emailVerified: true } }));
    expect(claim.json().status).toBe('applied');
    expect(await balanceOf(t.app, shop, 'm-9')).toEqual({ available: 100, pending: 0, held: 0 });
    expect(await orderView(shop, 'g-1')).toMatchObject({ guest: false, customerId: 'm-9' });
  });

  it('ignores guest orders when the program does not accrue for guests', async () => {
    const shop = await createShop(t.app);
    await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { guestAccrual: false } });
    const response = await sendEvent(t.app, shop, envelope('order.completed', { order: order('g-2', { customerId: null, email: 'x@example.com' }) }));
    expect(response.json().status).toBe('ignored');
    expect((await orderView(shop, 'g-2')).award).toBeNull();
  });
});
