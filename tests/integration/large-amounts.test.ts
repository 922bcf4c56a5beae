import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { createTestDatabase, excludeFromLedgerCheck } from '../helpers/db.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { adjust, balanceOf, putMember } from '../helpers/members.ts';

// D1: money and points past 2^31 − 1 (ordinary in a zero-decimal or high-nominal currency: JPY has no minor unit)
// go through end to end; past 2^53 − 1, the largest integer JSON and JavaScript carry exactly, they are refused
// with a 4xx and nothing is written.

const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(() => t.close());

const MAX = Number.MAX_SAFE_INTEGER;
const send = (shop: TestShop, event: unknown) => sendEvent(t.app, shop, event, { t: Math.floor(clock.now().getTime() / 1000) });
const get = (shop: TestShop, url: string) => t.app.inject({ method: 'GET', url, headers: shop.auth });
const post = (shop: TestShop, url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url, headers: shop.auth, ...(payload ? { payload } : {}) });
const count = async (table: string, shopId: string) =>
  (await t.container.database.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE shop_id = $1`, [shopId])).rows[0].n as number;

/** The member's lots as [expiry day, amount, remaining], those with an expiry first. */
async function lotsOf(shop: TestShop, customerId: string) {
  const lots = (await get(shop, `/v1/members/${customerId}/export`)).json().lots as { amount: number; remaining: number; expiresAt: string | null }[];
  return lots.map((l) => [l.expiresAt?.slice(0, 10) ?? null, l.amount, l.remaining]).sort((a, b) => (a[0] === null ? 1 : b[0] === null ? -1 : 0));
}

async function ledgerClean(shop: TestShop) {
  const check = (await get(shop, '/v1/ledger/check')).json();
  expect(check).toMatchObject({ ok: true, differences: [] });
}

/** What a refused request must leave behind: no event, order, entry, lot or redemption of the shop. */
async function nothingWritten(shop: TestShop) {
  for (const table of ['inbound_events', 'orders', 'refunds', 'ledger_entries', 'lots', 'redemptions']) {
    expect(await count(table, shop.id), table).toBe(0);
  }
}

describe('money and points past 2^31 − 1 (D1)', () => {
  it('awards, matures and refunds a JPY order of 8 000 000 000 yen', async () => {
    const shop = await createShop(t.app, { currency: 'JPY' });
    const o = order('jp-1', { currency: 'JPY', lines: [{ unitPrice: 3_000_000_000 }, { unitPrice: 2_500_000_000, quantity: 2 }] });
    const awarded = await send(shop, envelope('order.completed', { order: o }, '2026-11-19T10:00:00Z'));
    expect(awarded.statusCode).toBe(202);
    const view = (await get(shop, '/v1/orders/jp-1')).json();
    expect(view.award).toMatchObject({ points: 8_000_000_000, eligible: 8_000_000_000, status: 'pending' });
    expect(view.award.lines.map((l: { points: number }) => l.points)).toEqual([3_000_000_000, 5_000_000_000]);
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 0, pending: 8_000_000_000, held: 0 });

    // D18: running ahead of the present is the operator's.
    const matured = await t.app.inject({
      method: 'POST', url: `/v1/admin/shops/${shop.id}/jobs/mature`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { asOf: '2026-12-04T10:00:00Z' },
    });
    expect(matured.json().counts).toMatchObject({ matured: 1, points: 8_000_000_000 });
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 8_000_000_000, pending: 0, held: 0 });

    // A returned line by its snapshot, then a refund by amount alone: a quarter of the 8 000 000 000 paid.
    const refund = (refundData: Record<string, unknown>) =>
      send(shop, envelope('order.refunded', { order: o, refund: refundData }, '2026-11-20T10:00:00Z'));
    expect((await refund({ id: 'rf-1', amount: 3_000_000_000, lines: [{ lineId: '1', quantity: 1, amount: 3_000_000_000 }] })).json().status).toBe('applied');
    expect((await refund({ id: 'rf-2', amount: 2_000_000_000 })).json().status).toBe('applied');
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 3_000_000_000, pending: 0, held: 0 });
    const after = (await get(shop, '/v1/orders/jp-1')).json();
    expect(after).toMatchObject({ reversed: 5_000_000_000, writtenOff: 0 });
    expect(after.refunds.map((r: { amount: number }) => r.amount)).toEqual([3_000_000_000, 2_000_000_000]);
    const member = (await get(shop, '/v1/members/c1')).json();
    expect(member.lifetime).toMatchObject({ earned: 3_000_000_000 });
    await ledgerClean(shop);
  });

  it('writes off more than 2^31 points under negativeBalance: writeoff', async () => {
    const shop = await createShop(t.app, { currency: 'JPY' });
    await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { negativeBalance: 'writeoff' } });
    const o = order('wo-1', { currency: 'JPY', lines: [{ unitPrice: 3_000_000_000 }] });
    await send(shop, envelope('order.completed', { order: o }, '2026-11-01T10:00:00Z')); // past its 14 days: available at once
    await adjust(t.app, shop, 'c1', { points: -2_900_000_000, reason: 'spent' });
    await send(shop, envelope('order.refunded', { order: o, refund: { id: 'rf-all', amount: 3_000_000_000 } }, '2026-11-20T10:00:00Z'));
    expect((await get(shop, '/v1/orders/wo-1')).json()).toMatchObject({ reversed: 3_000_000_000, writtenOff: 2_900_000_000 });
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 0, pending: 0, held: 0 });
    await ledgerClean(shop);
  });

  it('credits and debits more than 2^31 points by adjustment', async () => {
    const shop = await createShop(t.app, { currency: 'JPY' });
    await putMember(t.app, shop, 'a-1');
    const credit = await adjust(t.app, shop, 'a-1', { points: 3_000_000_000 });
    expect(credit.statusCode).toBe(201);
    expect(await balanceOf(t.app, shop, 'a-1')).toEqual({ available: 3_000_000_000, pending: 0, held: 0 });
    const debit = await adjust(t.app, shop, 'a-1', { points: -2_500_000_000 });
    expect(debit.statusCode).toBe(201);
    expect(await balanceOf(t.app, shop, 'a-1')).toEqual({ available: 500_000_000, pending: 0, held: 0 });
    const activity = (await get(shop, '/v1/members/a-1/activity')).json();
    expect(activity.data.map((e: { points: number }) => e.points)).toEqual([-2_500_000_000, 3_000_000_000]);
    await ledgerClean(shop);
  });

  it('holds, commits and restores a redemption worth more than 2^31 yen, across lots', async () => {
    const shop = await createShop(t.app, { currency: 'JPY' });
    await putMember(t.app, shop, 'r-1');
    // Two lots, so the commit consumes several and the restore gives back into several, each past 2^31 − 1.
    await adjust(t.app, shop, 'r-1', { points: 2_500_000_000, expiresAt: '2027-06-01T00:00:00Z' });
    await adjust(t.app, shop, 'r-1', { points: 2_500_000_000 });
    const held = await post(shop, '/v1/redemptions', { customerId: 'r-1', points: 4_000_000_000 });
    expect(held.statusCode).toBe(201);
    expect(held.json()).toMatchObject({ points: 4_000_000_000, amount: 4_000_000_000, currency: 'JPY', status: 'held' });
    const id = held.json().id as string;
    expect(await balanceOf(t.app, shop, 'r-1')).toEqual({ available: 1_000_000_000, pending: 0, held: 4_000_000_000 });

    // The order spends the hold on 10 000 000 000 yen of goods, paying 6 000 000 000 in money.
    const o = {
      ...order('rd-1', { customerId: 'r-1', currency: 'JPY', lines: [{ unitPrice: 10_000_000_000 }], pointsAmount: 4_000_000_000 }),
      pointsRedeemed: { redemptionId: id, points: 4_000_000_000, amount: 4_000_000_000 },
    };
    expect((await send(shop, envelope('order.completed', { order: o }, '2026-11-19T10:00:00Z'))).statusCode).toBe(202);
    expect((await get(shop, `/v1/redemptions/${id}`)).json()).toMatchObject({ status: 'committed', orderId: 'rd-1' });
    expect(await balanceOf(t.app, shop, 'r-1')).toEqual({ available: 1_000_000_000, pending: 6_000_000_000, held: 0 });
    // Soonest-expiring first: the lot with an expiry is spent whole, the one without gives the rest.
    expect(await lotsOf(shop, 'r-1')).toEqual([['2027-06-01', 2_500_000_000, 0], [null, 2_500_000_000, 1_000_000_000]]);

    // A full refund reverses the award and brings the spent points back into their lots.
    const refunded = await send(shop, envelope('order.refunded', { order: o, refund: { id: 'rf-all', amount: 6_000_000_000 } }, '2026-11-20T10:00:00Z'));
    expect(refunded.json().status).toBe('applied');
    expect((await get(shop, '/v1/orders/rd-1')).json()).toMatchObject({ reversed: 6_000_000_000, redeemed: 4_000_000_000, restored: 4_000_000_000 });
    expect(await balanceOf(t.app, shop, 'r-1')).toEqual({ available: 5_000_000_000, pending: 0, held: 0 });
    expect(await lotsOf(shop, 'r-1')).toEqual([['2027-06-01', 2_500_000_000, 2_500_000_000], [null, 2_500_000_000, 2_500_000_000]]);
    await ledgerClean(shop);
  });

  it('quotes an order total near 2^53 − 1 exactly', async () => {
    const shop = await createShop(t.app, { currency: 'JPY' });
    await putMember(t.app, shop, 'q-1');
    await adjust(t.app, shop, 'q-1', { points: MAX });
    await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { redemption: { maxPercentOfOrder: 45 } } });
    const quote = await post(shop, '/v1/redemptions/quote', { customerId: 'q-1', orderTotal: { amount: MAX, currency: 'JPY' } });
    expect(quote.statusCode).toBe(200);
    // floor(9 007 199 254 740 991 × 45 / 100), exactly (in floating point it comes out one point more).
    expect(quote.json()).toMatchObject({ available: MAX, maxPoints: 4_053_239_664_633_445, maxAmount: 4_053_239_664_633_445 });
  });
});

describe('past 2^53 − 1 (D1): a 4xx, and nothing written', () => {
  it('refuses an order whose lines add up past 2^53 − 1 with 400, naming the lines', async () => {
    const shop = await createShop(t.app, { currency: 'JPY' });
    const half = 2 ** 52;
    // Each amount within the schema's limit, and so are the totals the storefront states; the lines' sum is not.
    const o = { ...order('big-1', { currency: 'JPY', lines: [{ unitPrice: half }, { unitPrice: half }] }), subtotal: MAX, total: MAX };
    const response = await send(shop, envelope('order.completed', { order: o }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: '/data/order/lines' }] });
    await nothingWritten(shop);
  });

  it('refuses an order whose award would pass 2^53 − 1 with 422 out_of_range', async () => {
    const shop = await createShop(t.app, { currency: 'JPY' });
    await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { pointsPerUnit: 10_000 } });
    // 10^15 yen at 10 000 points a yen: 10^19 points.
    const o = order('big-2', { currency: 'JPY', lines: [{ unitPrice: 1_000_000_000_000_000 }] });
    const response = await send(shop, envelope('order.completed', { order: o }));
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('out_of_range');
    await nothingWritten(shop);
  });

  it('refuses a posting that would take a balance past 2^53 − 1, or an award that would once it matures', async () => {
    const shop = await createShop(t.app, { currency: 'JPY' });
    await putMember(t.app, shop, 'c1');
    expect((await adjust(t.app, shop, 'c1', { points: MAX - 10 })).statusCode).toBe(201);
    const entries = await count('ledger_entries', shop.id);
    const over = await adjust(t.app, shop, 'c1', { points: 11 });
    expect(over.statusCode).toBe(422);
    expect(over.json().code).toBe('out_of_range');
    // An award to pending that would pass the limit once it matures (the maturity job must never fail on it).
    const award = await send(shop, envelope('order.completed', { order: order('o-1', { currency: 'JPY', lines: [{ unitPrice: 11 }] }) }));
    expect(award.statusCode).toBe(422);
    expect(award.json().code).toBe('out_of_range');
    const outside = await adjust(t.app, shop, 'c1', { points: MAX + 1 });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().code).toBe('validation_failed');
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: MAX - 10, pending: 0, held: 0 });
    expect(await count('ledger_entries', shop.id)).toBe(entries);
    expect(await count('orders', shop.id)).toBe(0);
    expect(await count('inbound_events', shop.id)).toBe(0);
    await ledgerClean(shop);
  });

  it('refuses a hold whose money value would pass 2^53 − 1 with 422 out_of_range', async () => {
    const shop = await createShop(t.app, { currency: 'JPY' });
    await putMember(t.app, shop, 'h-1');
    await adjust(t.app, shop, 'h-1', { points: 10_000_000_000 });
    await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { redemption: { pointValue: 1_000_000 } } });
    const entries = await count('ledger_entries', shop.id);
    for (const cartId of [undefined, 'cart-1']) {
      const response = await post(shop, '/v1/redemptions', { customerId: 'h-1', points: 10_000_000_000, ...(cartId ? { cartId } : {}) });
      expect(response.statusCode).toBe(422);
      expect(response.json().code).toBe('out_of_range');
    }
    expect(await count('redemptions', shop.id)).toBe(0);
    expect(await count('ledger_entries', shop.id)).toBe(entries);
    expect(await balanceOf(t.app, shop, 'h-1')).toEqual({ available: 10_000_000_000, pending: 0, held: 0 });
  });
});

describe('reading 64-bit values (D1)', () => {
  it('reads a bigint up to 2^53 − 1 exactly, and fails a query rather than read one past it wrong', async () => {
    const { pool } = t.container.database;
    expect((await pool.query(`SELECT ${MAX}::bigint AS n`)).rows[0].n).toBe(MAX);
    await expect(pool.query(`SELECT ${MAX}::bigint + 1 AS n`)).rejects.toThrow(/2\^53/);
  });

  it('reports a difference of more than 2^31 points in the ledger check', async () => {
    // A database of its own, corrupted on purpose: the after-file check leaves it out.
    const url = await createTestDatabase();
    excludeFromLedgerCheck(url);
    const own = await buildTestApp({ clock, databaseUrl: url });
    try {
      const shop = await createShop(own.app, { currency: 'JPY' });
      await putMember(own.app, shop, 'c1');
      await adjust(own.app, shop, 'c1', { points: 5_000_000_000 });
      await own.container.database.pool.query('UPDATE lots SET remaining = remaining - 3000000000 WHERE shop_id = $1', [shop.id]);
      const check = (await own.app.inject({ method: 'GET', url: '/v1/ledger/check', headers: shop.auth })).json();
      expect(check.ok).toBe(false);
      expect(check.differences).toEqual(expect.arrayContaining([
        expect.objectContaining({ check: 'lots.remaining = max(available, 0) + held', expected: 5_000_000_000, actual: 2_000_000_000 }),
        expect.objectContaining({ check: 'lot.remaining = sum(movements)', expected: 5_000_000_000, actual: 2_000_000_000 }),
      ]));
    } finally {
      await own.close();
    }
  });
});
