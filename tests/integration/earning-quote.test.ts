import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent, type LineSpec } from '../helpers/events.ts';

// POST /v1/earning/quote (docs/earning.md): what lines would earn now, decided as the order's award then is.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(() => t.close());

const TIERS = {
  basis: 'points',
  window: 'rolling12Months',
  retainMonths: 0,
  stepDown: false,
  tiers: [
    { id: 'base', name: 'Member', threshold: 0, multiplier: 1, benefits: [] },
    { id: 'silver', name: 'Silver', threshold: 1_000, multiplier: 1.5, benefits: [] },
  ],
};

type Order = ReturnType<typeof order>;
type Quote = { points: number; lines: { id: string; points: number }[]; tier: { id: string; multiplier: number } | null };

const quote = (shop: TestShop, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/v1/earning/quote', headers: { ...shop.auth, ...headers }, payload: payload as object });

/** The quote of an order's lines as a storefront would ask it: no totals (quantity × unitPrice), no shipping or tax. */
const quoteOf = async (shop: TestShop, o: Order, customerId?: string): Promise<Quote> => {
  const lines = o.lines.map(({ total: _total, ...line }) => line);
  const response = await quote(shop, { ...(customerId ? { customerId } : {}), lines, discount: o.discount });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

/** Completes the order now and answers its award as the quote shows one. */
const awardOf = async (shop: TestShop, o: Order): Promise<Quote> => {
  const sent = await sendEvent(t.app, shop, envelope('order.completed', { order: o }, clock.now().toISOString()), { t: Math.floor(clock.now().getTime() / 1000) });
  expect(sent.statusCode, sent.body).toBe(202);
  const view = (await t.app.inject({ method: 'GET', url: `/v1/orders/${o.id}`, headers: shop.auth })).json();
  const tier = view.award.lines[0].tier;
  return {
    points: view.award.points,
    lines: view.award.lines.map((l: { lineId: string; points: number }) => ({ id: l.lineId, points: l.points })),
    tier: tier ? { id: tier.id, multiplier: Number(tier.multiplier) } : null,
  };
};

const addRule = async (shop: TestShop, rule: object) => {
  const created = await t.app.inject({ method: 'POST', url: '/v1/rules', headers: shop.auth, payload: rule });
  expect(created.statusCode, created.body).toBe(201);
};

const CART: LineSpec[] = [
  { unitPrice: 12_345, quantity: 2, categories: ['shoes'], discount: 1_001 },
  { unitPrice: 4_999, quantity: 3 },
  { unitPrice: 999, categories: ['shoes'] },
];

describe('POST /v1/earning/quote: the quote is what the order then earns', () => {
  it('with a multiplier rule, a per-order bonus, line and order discounts', async () => {
    const shop = await createShop(t.app);
    await addRule(shop, { name: 'Shoes x2', conditions: { categories: ['shoes'] }, effect: { multiplier: 2, per: 'line' } });
    await addRule(shop, { name: 'Bonus', effect: { bonusPoints: 7, per: 'order' } });
    const o = order('q1', { customerId: 'c1', lines: CART, discount: 2_500 });
    const quoted = await quoteOf(shop, o, 'c1');
    const awarded = await awardOf(shop, o);
    expect(quoted).toEqual(awarded);
    expect(quoted.tier).toBeNull(); // no tiers
    // The rules did count: 370 base points (one a PLN, after the discounts), shoes doubled (+230), the bonus (+7).
    expect(quoted.points).toBe(607);
    expect(quoted.lines.map((l) => l.id)).toEqual(['1', '2', '3']);
  });

  it('for a member on a 1.5 tier, and for a guest and an unknown customer on the lowest tier', async () => {
    const shop = await createShop(t.app);
    expect((await t.app.inject({ method: 'PUT', url: '/v1/tiers', headers: shop.auth, payload: TIERS })).statusCode).toBe(200);
    await addRule(shop, { name: 'Shoes x2', conditions: { categories: ['shoes'] }, effect: { multiplier: 2, per: 'line' } });
    const member = await t.app.inject({ method: 'PUT', url: '/v1/members/vip', headers: shop.auth, payload: { email: 'vip@example.com', emailVerified: true } });
    expect(member.statusCode, member.body).toBe(201);
    const set = await t.app.inject({ method: 'PUT', url: '/v1/members/vip/tier', headers: shop.auth, payload: { tierId: 'silver', reason: 'VIP' } });
    expect(set.statusCode, set.body).toBe(200);

    const vipOrder = order('t-vip', { customerId: 'vip', lines: CART, discount: 2_500 });
    const vip = await quoteOf(shop, vipOrder, 'vip');
    expect(vip.tier).toEqual({ id: 'silver', multiplier: 1.5 });
    const guest = await quoteOf(shop, vipOrder);
    expect(guest.tier).toEqual({ id: 'base', multiplier: 1 });
    expect(vip.points).toBeGreaterThan(guest.points);
    expect(await quoteOf(shop, vipOrder, 'nobody-yet')).toEqual(guest);

    expect(await awardOf(shop, vipOrder)).toEqual(vip);
    // The unknown customer's order makes it a member, on the lowest tier: what its quote said.
    expect(await awardOf(shop, order('t-new', { customerId: 'nobody-yet', lines: CART, discount: 2_500 }))).toEqual(guest);
  });

  it('counts a firstOrder rule until the member has an awarded order', async () => {
    const shop = await createShop(t.app);
    await addRule(shop, { name: 'Welcome', conditions: { firstOrder: true }, effect: { bonusPoints: 50, per: 'order' } });
    const first = order('f1', { customerId: 'c1', lines: [{ unitPrice: 10_000 }] });
    const firstQuote = await quoteOf(shop, first, 'c1');
    expect(firstQuote.points).toBe(150);
    expect(await awardOf(shop, first)).toEqual(firstQuote);
    const second = order('f2', { customerId: 'c1', lines: [{ unitPrice: 10_000 }] });
    const secondQuote = await quoteOf(shop, second, 'c1');
    expect(secondQuote.points).toBe(100);
    expect(await awardOf(shop, second)).toEqual(secondQuote);
    expect((await quoteOf(shop, second)).points).toBe(150); // a guest's order would be its first
  });

  it('at checkout: with the shipping and tax a program includes, and the part paid with points (D7)', async () => {
    const shop = await createShop(t.app);
    const put = await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { includeShipping: true, includeTax: true } });
    expect(put.statusCode, put.body).toBe(200);
    const o = order('k1', { customerId: 'c1', lines: CART, discount: 2_500, shipping: 1_599, tax: 3_450, pointsAmount: 4_321 });
    const lines = o.lines.map(({ total: _total, ...line }) => line);
    const checkout = { customerId: 'c1', lines, discount: o.discount, shipping: o.shipping, tax: o.tax, pointsAmount: 4_321 };
    const response = await quote(shop, checkout);
    expect(response.statusCode, response.body).toBe(200);
    const quoted: Quote = response.json();
    expect(quoted).toEqual(await awardOf(shop, o));
    expect(quoted.lines.map((l) => l.id)).toEqual(['1', '2', '3', 'shipping']);
    // Each part counted: without the points spent the same checkout earns 43 more (PLN 43.21), without shipping 15 less.
    const { pointsAmount: _p, ...unspent } = checkout;
    expect((await quote(shop, unspent)).json().points).toBe(quoted.points + 43);
    const { shipping: _s, ...unshipped } = checkout;
    expect((await quote(shop, unshipped)).json().points).toBeLessThan(quoted.points);
  });
});

describe('POST /v1/earning/quote: a read', () => {
  const COUNTED = ['members', 'orders', 'ledger_entries', 'idempotency_keys', 'inbound_events'];
  const counts = async () => {
    const out: Record<string, number> = {};
    for (const table of COUNTED) out[table] = Number((await t.container.database.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    return out;
  };

  it('writes nothing, not even an Idempotency-Key row, and takes a key again with another body', async () => {
    const shop = await createShop(t.app);
    const before = await counts();
    const lines = [{ id: 'l1', productId: 'p1', sku: 'S1', categories: [], quantity: 1, unitPrice: 5_000 }];
    const a = await quote(shop, { customerId: 'stranger', lines }, { 'idempotency-key': 'quote-key' });
    const b = await quote(shop, { customerId: 'stranger', lines: [{ ...lines[0], quantity: 2 }] }, { 'idempotency-key': 'quote-key' });
    expect([a.statusCode, b.statusCode], b.body).toEqual([200, 200]);
    expect([a.json().points, b.json().points]).toEqual([50, 100]);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(await counts()).toEqual(before);
  });

  it('may be kept a minute, privately; an error and the other /v1 answers may not', async () => {
    const shop = await createShop(t.app);
    const ok = await quote(shop, { lines: [{ id: '1', quantity: 1, unitPrice: 100 }] });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('private, max-age=60');
    const bad = await quote(shop, { lines: [] });
    expect(bad.headers['cache-control']).toBe('no-store');
    const program = await t.app.inject({ method: 'GET', url: '/v1/program', headers: shop.auth });
    expect(program.headers['cache-control']).toBe('no-store');
  });

  it('answers the lines in the order sent, a missing total as quantity × unitPrice, an absent tier as null', async () => {
    const shop = await createShop(t.app);
    const response = await quote(shop, {
      currency: 'PLN',
      lines: [
        { id: 'b', quantity: 3, unitPrice: 1_000 },
        { id: 'a', quantity: 3, unitPrice: 1_000, total: 1_000 },
      ],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ points: 40, lines: [{ id: 'b', points: 30 }, { id: 'a', points: 10 }], tier: null });
  });
});

describe('POST /v1/earning/quote: refusals', () => {
  const line = { id: '1', quantity: 1, unitPrice: 100 };

  it.each([
    ['no lines', { lines: [] }, '/lines'],
    ['lines missing', {}, '/lines'],
    ['a negative price', { lines: [{ ...line, unitPrice: -1 }] }, '/lines/0/unitPrice'],
    ['201 lines', { lines: Array.from({ length: 201 }, (_, i) => ({ ...line, id: String(i) })) }, '/lines'],
    ['a fractional quantity', { lines: [{ ...line, quantity: 1.5 }] }, '/lines/0/quantity'],
    ['a blank line id', { lines: [{ ...line, id: ' ' }] }, '/lines/0/id'],
    ['a customer id too long', { customerId: 'x'.repeat(129), lines: [line] }, '/customerId'],
    ['a field no quote takes', { lines: [line], coupons: [] }, '/coupons'],
    ['negative points spent', { lines: [line], pointsAmount: -1 }, '/pointsAmount'],
    ['quantity × unitPrice past 2^53 − 1', { lines: [{ ...line, quantity: 1_000_000, unitPrice: 2 ** 50 }] }, '/lines/0/unitPrice'],
    ['totals past 2^53 − 1 together', { lines: [{ ...line, total: 2 ** 52 }, { ...line, id: '2', total: 2 ** 52 + 1 }] }, '/lines'],
  ])('refuses %s with 400 validation_failed', async (_name, payload, field) => {
    const shop = await createShop(t.app);
    const response = await quote(shop, payload);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().code).toBe('validation_failed');
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses another currency than the program’s with 422 currency_mismatch', async () => {
    const shop = await createShop(t.app);
    const response = await quote(shop, { currency: 'EUR', lines: [line] });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('currency_mismatch');
  });

  it('needs a shop key', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/v1/earning/quote', payload: { lines: [line] } });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('unauthorized');
  });
});
