import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { adjust, balanceOf, putMember } from '../helpers/members.ts';

// D6 at its edges: what a quote may offer, the instant a hold stops being committable, and which lot a spend
// takes when the member has more open lots than one page of them. Times move on the injected clock (D18).
const START = '2026-11-20T12:00:00.000Z';
const clock = fixedClock(START);
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(() => t.close());
afterEach(() => clock.set(START));

const MINUTE = 60_000;
const send = (shop: TestShop, event: unknown) => sendEvent(t.app, shop, event, { t: Math.floor(clock.now().getTime() / 1000) });
const hold = (shop: TestShop, points: number) =>
  t.app.inject({ method: 'POST', url: '/v1/redemptions', headers: shop.auth, payload: { customerId: 'e-1', points } });
const commit = (shop: TestShop, id: string, orderId: string) =>
  t.app.inject({ method: 'POST', url: `/v1/redemptions/${id}/commit`, headers: shop.auth, payload: { orderId } });
const redemption = async (shop: TestShop, id: string) =>
  (await t.app.inject({ method: 'GET', url: `/v1/redemptions/${id}`, headers: shop.auth })).json();
const entries = async (shop: TestShop, kind: string) =>
  (await t.container.database.pool.query('SELECT count(*)::int AS n FROM ledger_entries WHERE shop_id = $1 AND kind = $2', [shop.id, kind])).rows[0].n as number;

async function memberWith(points: number): Promise<TestShop> {
  const shop = await createShop(t.app);
  await putMember(t.app, shop, 'e-1');
  if (points > 0) await adjust(t.app, shop, 'e-1', { points });
  return shop;
}

describe('quote (D6)', () => {
  it('offers only available points: pending ones are not spendable yet', async () => {
    const shop = await memberWith(300);
    await send(shop, envelope('order.completed', { order: order('q-1', { customerId: 'e-1', lines: [{ unitPrice: 50_000 }] }) }));
    expect(await balanceOf(t.app, shop, 'e-1')).toEqual({ available: 300, pending: 500, held: 0 });
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/redemptions/quote',
      headers: shop.auth,
      payload: { customerId: 'e-1', orderTotal: { amount: 100_000, currency: 'PLN' } },
    });
    expect(response.json()).toEqual({ available: 300, maxPoints: 300, minPoints: 0, pointValue: 1, maxAmount: 300 });
  });
});

describe('a hold expires at expiresAt, on every commit path (D6)', () => {
  it('commits a millisecond before the expiry', async () => {
    const shop = await memberWith(500);
    const id = (await hold(shop, 200)).json().id;
    clock.set(new Date(Date.parse(START) + 30 * MINUTE - 1));
    const response = await commit(shop, id, 'o-1');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'committed', orderId: 'o-1' });
    expect(await balanceOf(t.app, shop, 'e-1')).toEqual({ available: 300, pending: 0, held: 0 });
  });

  it.each([
    ['exactly at its expiry', 30 * MINUTE],
    ['31 minutes after the hold', 31 * MINUTE],
  ])('refuses a commit %s with hold_expired and burns nothing', async (_label, after) => {
    const shop = await memberWith(500);
    const held = (await hold(shop, 200)).json();
    expect(held.expiresAt).toBe('2026-11-20T12:30:00.000Z');
    clock.set(new Date(Date.parse(START) + after));
    const response = await commit(shop, held.id, 'o-1');
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('hold_expired');
    expect(await entries(shop, 'commit')).toBe(0);
    expect(await redemption(shop, held.id)).toMatchObject({ status: 'expired', orderId: null });
    expect(await balanceOf(t.app, shop, 'e-1')).toEqual({ available: 500, pending: 0, held: 0 });
  });

  it('an order.placed naming the hold exactly at its expiry burns nothing', async () => {
    const shop = await memberWith(500);
    const id = (await hold(shop, 200)).json().id;
    clock.set(new Date(Date.parse(START) + 30 * MINUTE));
    const o = { ...order('p-1', { customerId: 'e-1', pointsAmount: 200 }), pointsRedeemed: { redemptionId: id, points: 200, amount: 200 } };
    expect((await send(shop, envelope('order.placed', { order: o }))).statusCode).toBe(202);
    expect(await entries(shop, 'commit')).toBe(0);
    expect(await redemption(shop, id)).toMatchObject({ status: 'expired' });
    expect(await balanceOf(t.app, shop, 'e-1')).toEqual({ available: 500, pending: 0, held: 0 });
  });
});

describe('consumption beyond the first page of lots (D6, D8)', () => {
  // 32 lots (one page) expiring late, made first; then the one expiring soonest, made last: by age it is the
  // 33rd lot, off the first page; by expiry it is the first to spend.
  async function memberWithManyLots(): Promise<TestShop> {
    const shop = await memberWith(0);
    for (let i = 0; i < 32; i++) {
      clock.advance(1_000);
      await adjust(t.app, shop, 'e-1', { points: 10, expiresAt: '2028-01-01T00:00:00Z' });
    }
    clock.advance(1_000);
    await adjust(t.app, shop, 'e-1', { points: 100, expiresAt: '2027-01-01T00:00:00Z' });
    return shop;
  }
  const expiring = async (shop: TestShop) =>
    (await t.app.inject({ method: 'GET', url: '/v1/members/e-1', headers: shop.auth })).json().expiring;

  it('a commit burns the soonest-expiring lot, made last', async () => {
    const shop = await memberWithManyLots();
    const id = (await hold(shop, 30)).json().id;
    expect((await commit(shop, id, 'o-lots')).statusCode).toBe(200);
    expect(await expiring(shop)).toEqual([
      { points: 70, at: '2027-01-01T00:00:00.000Z' },
      { points: 320, at: '2028-01-01T00:00:00.000Z' },
    ]);
  });

  it('a debit takes from the soonest-expiring lot, made last', async () => {
    const shop = await memberWithManyLots();
    expect((await adjust(t.app, shop, 'e-1', { points: -40 })).statusCode).toBe(201);
    expect(await expiring(shop)).toEqual([
      { points: 60, at: '2027-01-01T00:00:00.000Z' },
      { points: 320, at: '2028-01-01T00:00:00.000Z' },
    ]);
  });
});
