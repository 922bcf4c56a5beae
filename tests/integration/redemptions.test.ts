import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { inLockerTransaction, someoneWaitsForALock } from '../helpers/locks.ts';
import { adjust, balanceOf, putMember } from '../helpers/members.ts';

const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock, env: { DATABASE_POOL_MAX: '20' } });
});
afterAll(() => t.close());

const send = (shop: TestShop, event: unknown) => sendEvent(t.app, shop, event, { t: Math.floor(clock.now().getTime() / 1000) });
const hold = (shop: TestShop, body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/v1/redemptions', headers: shop.auth, payload: body });
const commit = (shop: TestShop, id: string, orderId: string) =>
  t.app.inject({ method: 'POST', url: `/v1/redemptions/${id}/commit`, headers: shop.auth, payload: { orderId } });
const cancel = (shop: TestShop, id: string) => t.app.inject({ method: 'POST', url: `/v1/redemptions/${id}/cancel`, headers: shop.auth });

async function memberWith(points: number, customerId = 'r-1', expiresAt?: string) {
  const shop = await createShop(t.app);
  await putMember(t.app, shop, customerId);
  if (points > 0) await adjust(t.app, shop, customerId, { points, ...(expiresAt ? { expiresAt } : {}) });
  return shop;
}

describe('quote', () => {
  it('applies minPoints, maxPercentOfOrder and the balance', async () => {
    const shop = await memberWith(800);
    await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { redemption: { minPoints: 100, maxPercentOfOrder: 50, pointValue: 2 } } });
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/redemptions/quote',
      headers: shop.auth,
      payload: { customerId: 'r-1', orderTotal: { amount: 1_000, currency: 'PLN' } },
    });
    expect(response.json()).toEqual({ available: 800, maxPoints: 250, minPoints: 100, pointValue: 2, maxAmount: 500 });
    const eur = await t.app.inject({
      method: 'POST',
      url: '/v1/redemptions/quote',
      headers: shop.auth,
      payload: { customerId: 'r-1', orderTotal: { amount: 1_000, currency: 'EUR' } },
    });
    expect(eur.json().code).toBe('currency_mismatch');
  });
});

describe('hold, commit, release (D6)', () => {
  it('moves points to held at once, burns them on commit (twice is the same), and refuses a short balance', async () => {
    const shop = await memberWith(1_000);
    const held = await hold(shop, { customerId: 'r-1', points: 400 });
    expect(held.statusCode).toBe(201);
    expect(held.json()).toMatchObject({ status: 'held', points: 400, amount: 400, expiresAt: '2026-11-20T12:30:00.000Z' });
    expect(await balanceOf(t.app, shop, 'r-1')).toEqual({ available: 600, pending: 0, held: 400 });
    const short = await hold(shop, { customerId: 'r-1', points: 601 });
    expect(short.statusCode).toBe(409);
    expect(short.json().code).toBe('insufficient_points');

    const id = held.json().id;
    expect((await commit(shop, id, 'ord-1')).json()).toMatchObject({ status: 'committed', orderId: 'ord-1' });
    expect((await commit(shop, id, 'ord-1')).json()).toMatchObject({ status: 'committed' });
    expect((await commit(shop, id, 'ord-2')).statusCode).toBe(409);
    expect(await balanceOf(t.app, shop, 'r-1')).toEqual({ available: 600, pending: 0, held: 0 });
    expect((await cancel(shop, id)).statusCode).toBe(409);
  });

  it('releases on cancel, and a commit after that is hold_expired', async () => {
    const shop = await memberWith(500);
    const id = (await hold(shop, { customerId: 'r-1', points: 200 })).json().id;
    expect((await cancel(shop, id)).json().status).toBe('released');
    expect((await cancel(shop, id)).json().status).toBe('released');
    expect(await balanceOf(t.app, shop, 'r-1')).toEqual({ available: 500, pending: 0, held: 0 });
    const late = await commit(shop, id, 'ord-x');
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('hold_expired');
  });

  it('burns soonest-expiring lots first', async () => {
    const shop = await memberWith(0);
    await adjust(t.app, shop, 'r-1', { points: 100 });
    await adjust(t.app, shop, 'r-1', { points: 100, expiresAt: '2027-06-01T00:00:00Z' });
    await adjust(t.app, shop, 'r-1', { points: 100, expiresAt: '2027-01-01T00:00:00Z' });
    const id = (await hold(shop, { customerId: 'r-1', points: 150 })).json().id;
    await commit(shop, id, 'o');
    const member = (await t.app.inject({ method: 'GET', url: '/v1/members/r-1', headers: shop.auth })).json();
    expect(member.expiring).toEqual([{ points: 50, at: '2027-06-01T00:00:00.000Z' }]);
  });

  it('returns expired holds through release-holds; then commit is hold_expired', async () => {
    const shop = await memberWith(300);
    const id = (await hold(shop, { customerId: 'r-1', points: 100 })).json().id;
    // D18: running ahead of the present is the operator's, for one shop.
    const releaseHolds = (asOf: string) =>
      t.app.inject({ method: 'POST', url: `/v1/admin/shops/${shop.id}/jobs/release-holds`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { asOf } });
    const early = await releaseHolds('2026-11-20T12:29:59Z');
    expect(early.json().counts).toEqual({ released: 0, points: 0 });
    const due = await releaseHolds('2026-11-20T12:30:00Z');
    expect(due.json().counts).toEqual({ released: 1, points: 100 });
    expect(await balanceOf(t.app, shop, 'r-1')).toEqual({ available: 300, pending: 0, held: 0 });
    expect((await commit(shop, id, 'o')).json().code).toBe('hold_expired');
    expect((await t.app.inject({ method: 'GET', url: `/v1/redemptions/${id}`, headers: shop.auth })).json().status).toBe('expired');
  });

  it('records a late order.placed naming an expired hold without burning, and says so on the order', async () => {
    const shop = await memberWith(300);
    const id = (await hold(shop, { customerId: 'r-1', points: 100 })).json().id;
    clock.advance(31 * 60_000);
    try {
      const placed = await send(shop, envelope('order.placed', { order: { ...order('late-1', { customerId: 'r-1', pointsAmount: 100 }), pointsRedeemed: { redemptionId: id, points: 100, amount: 100 } } }));
      expect(placed.statusCode).toBe(202);
      const view = (await t.app.inject({ method: 'GET', url: '/v1/orders/late-1', headers: shop.auth })).json();
      expect(view).toMatchObject({ redeemed: 0, redemption: { id, status: 'expired' } });
      expect(await balanceOf(t.app, shop, 'r-1')).toEqual({ available: 300, pending: 0, held: 0 });
    } finally {
      clock.set('2026-11-20T12:00:00Z');
    }
  });

  it('commits through order.placed and releases through order.cancelled', async () => {
    const shop = await memberWith(1_000);
    const a = (await hold(shop, { customerId: 'r-1', points: 300 })).json().id;
    const withPoints = (id: string, orderId: string) => ({ ...order(orderId, { customerId: 'r-1', pointsAmount: 300 }), pointsRedeemed: { redemptionId: id, points: 300, amount: 300 } });
    await send(shop, envelope('order.placed', { order: withPoints(a, 'op-1') }));
    expect((await t.app.inject({ method: 'GET', url: `/v1/redemptions/${a}`, headers: shop.auth })).json()).toMatchObject({ status: 'committed', orderId: 'op-1' });
    expect((await t.app.inject({ method: 'GET', url: '/v1/orders/op-1', headers: shop.auth })).json().redeemed).toBe(300);
    // D7: the same order earns too, on the 9,700 paid in money only, not on the 300 paid with points.
    await send(shop, envelope('order.completed', { order: withPoints(a, 'op-1') }));
    expect((await t.app.inject({ method: 'GET', url: '/v1/orders/op-1', headers: shop.auth })).json()).toMatchObject({
      redeemed: 300,
      award: { points: 97, eligible: 9_700 },
    });
    expect(await balanceOf(t.app, shop, 'r-1')).toMatchObject({ available: 700, pending: 97 });

    const b = (await hold(shop, { customerId: 'r-1', points: 200 })).json().id;
    await send(shop, envelope('order.cancelled', { order: { ...withPoints(b, 'op-2'), pointsRedeemed: { redemptionId: b, points: 200, amount: 200 } } }));
    // A cancelled order's hold goes back to the available balance.
    expect(await balanceOf(t.app, shop, 'r-1')).toEqual({ available: 700, pending: 97, held: 0 });
    expect((await t.app.inject({ method: 'GET', url: `/v1/redemptions/${b}`, headers: shop.auth })).json().status).toBe('released');
    expect((await t.app.inject({ method: 'GET', url: '/v1/orders/op-2', headers: shop.auth })).json().redemption).toEqual({ id: b, status: 'released' });
  });
});

describe('concurrency on real PostgreSQL (D6: no two holds spend the same point)', () => {
  it('200 parallel holds of 100 on 5,000: exactly 50 hold; then 50 commits and 50 releases in parallel', async () => {
    const shop = await memberWith(5_000);
    const responses = await Promise.all(Array.from({ length: 200 }, () => hold(shop, { customerId: 'r-1', points: 100 })));
    const ok = responses.filter((r) => r.statusCode === 201);
    expect(ok).toHaveLength(50);
    expect(responses.filter((r) => r.statusCode === 409 && r.json().code === 'insufficient_points')).toHaveLength(150);
    expect(await balanceOf(t.app, shop, 'r-1')).toEqual({ available: 0, pending: 0, held: 5_000 });

    const ids = ok.map((r) => r.json().id as string);
    const settled = await Promise.all(ids.map((id, i) => (i % 2 === 0 ? commit(shop, id, `o-${i}`) : cancel(shop, id))));
    expect(settled.every((r) => r.statusCode === 200)).toBe(true);
    expect(await balanceOf(t.app, shop, 'r-1')).toEqual({ available: 2_500, pending: 0, held: 0 });
    const check = await t.app.inject({ method: 'GET', url: '/v1/ledger/check', headers: shop.auth });
    expect(check.json()).toMatchObject({ ok: true });
  });

  it('parallel holds of one member in one process queue one after another: none loses a race or needs the row lock', async () => {
    const shop = await memberWith(5_000);
    const responses = await Promise.all(Array.from({ length: 100 }, () => hold(shop, { customerId: 'r-1', points: 10 })));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(100).fill(201));
    expect(t.container.postings.isBusy(`${shop.id}/r-1`)).toBe(false);
    expect(await balanceOf(t.app, shop, 'r-1')).toEqual({ available: 4_000, pending: 0, held: 1_000 });
  });

  it('a commit deadlocked with a cancel of the same hold (redemption, then member) is a lost race, not an error', { timeout: 10_000 }, async () => {
    const shop = await memberWith(1_000);
    const id = (await hold(shop, { customerId: 'r-1', points: 300 })).json().id as string;
    let committing: ReturnType<typeof commit> | undefined;
    await inLockerTransaction(t.container.database.pool, async (locker) => {
      // A cancel's order of locks: the redemption's row, then the member's.
      await locker.query('SELECT 1 FROM redemptions WHERE shop_id = $1 AND id = $2 FOR UPDATE', [shop.id, id]);
      committing = commit(shop, id, 'ord-dl'); // takes the member, waits for the redemption
      await someoneWaitsForALock(t.container.database.pool);
      await locker.query(`SELECT 1 FROM members WHERE shop_id = $1 AND customer_id = 'r-1' FOR UPDATE`, [shop.id]);
    });
    const response = await committing!;
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'committed', orderId: 'ord-dl' });
    expect(await balanceOf(t.app, shop, 'r-1')).toEqual({ available: 700, pending: 0, held: 0 });
  });

  it('D6: a commit that read the hold as held while a release of it committed burns nothing and says hold_expired', async () => {
    const shop = await memberWith(1_000);
    const id = (await hold(shop, { customerId: 'r-1', points: 300 })).json().id as string;
    let committing: ReturnType<typeof commit> | undefined;
    // The release holds the member's row; the commit reads the hold (still held, to it) and queues its write behind.
    await t.container.postings.withMember(shop.id, 'r-1', async (tx) => {
      expect(await t.container.redemptionLedger.releaseIn(tx, shop.id, id)).toBe(true);
      committing = commit(shop, id, 'ord-late');
      await someoneWaitsForALock(t.container.database.pool);
    });
    const response = await committing!;
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('hold_expired');
    expect((await t.app.inject({ method: 'GET', url: `/v1/redemptions/${id}`, headers: shop.auth })).json()).toMatchObject({ status: 'released' });
    expect(await balanceOf(t.app, shop, 'r-1')).toEqual({ available: 1_000, pending: 0, held: 0 });
  });

  it('one cart in two tabs: the later hold replaces the earlier one, never both beyond the balance', async () => {
    const shop = await memberWith(500);
    const [first, second] = await Promise.all([
      hold(shop, { customerId: 'r-1', points: 400, cartId: 'cart-9' }),
      hold(shop, { customerId: 'r-1', points: 400, cartId: 'cart-9' }),
    ]);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    const states = await Promise.all(
      [first, second].map(async (r) => (await t.app.inject({ method: 'GET', url: `/v1/redemptions/${r.json().id}`, headers: shop.auth })).json().status),
    );
    expect(states.sort()).toEqual(['held', 'released']);
    expect(await balanceOf(t.app, shop, 'r-1')).toEqual({ available: 100, pending: 0, held: 400 });
  });
});

describe('restore on refund (D6)', () => {
  async function spent(points: number, lots: { points: number; expiresAt?: string }[]) {
    const shop = await memberWith(0);
    for (const lot of lots) await adjust(t.app, shop, 'r-1', { points: lot.points, ...(lot.expiresAt ? { expiresAt: lot.expiresAt } : {}) });
    const id = (await hold(shop, { customerId: 'r-1', points })).json().id;
    const o = { ...order('rs-1', { customerId: 'r-1', lines: [{ unitPrice: 10_000 }], pointsAmount: points }), pointsRedeemed: { redemptionId: id, points, amount: points } };
    await send(shop, envelope('order.placed', { order: o }));
    return { shop, id, o };
  }

  it('gives back the refunded share into the original lots, with their expiry', async () => {
    const { shop, o } = await spent(400, [
      { points: 300, expiresAt: '2027-01-01T00:00:00Z' },
      { points: 100, expiresAt: '2027-03-01T00:00:00Z' },
    ]);
    // Paid 9,600 in money; a quarter refunded gives back a quarter of the 400 points.
    await send(shop, envelope('order.refunded', { order: o, refund: { id: 'rf-1', amount: 2_400 } }));
    const member = (await t.app.inject({ method: 'GET', url: '/v1/members/r-1', headers: shop.auth })).json();
    expect(member.balance.available).toBe(100);
    expect(member.expiring).toEqual([
      { points: 75, at: '2027-01-01T00:00:00.000Z' },
      { points: 25, at: '2027-03-01T00:00:00.000Z' },
    ]);
    // The rest of the money: everything that was redeemed is back.
    await send(shop, envelope('order.refunded', { order: o, refund: { id: 'rf-2', amount: 7_200 } }));
    expect((await t.app.inject({ method: 'GET', url: '/v1/orders/rs-1', headers: shop.auth })).json()).toMatchObject({ redeemed: 400, restored: 400 });
    expect(await balanceOf(t.app, shop, 'r-1')).toMatchObject({ available: 400 });
  });

  it('restores a lot that expired meanwhile with restoreGraceDays of life', async () => {
    const { shop, o } = await spent(100, [{ points: 100, expiresAt: '2026-11-25T00:00:00Z' }]);
    clock.set('2026-12-01T00:00:00Z');
    try {
      await send(shop, envelope('order.refunded', { order: o, refund: { id: 'rf-g', amount: 9_900 } }));
      const member = (await t.app.inject({ method: 'GET', url: '/v1/members/r-1', headers: shop.auth })).json();
      expect(member.balance.available).toBe(100);
      expect(member.expiring).toEqual([{ points: 100, at: '2026-12-31T00:00:00.000Z' }]); // 30 grace days
    } finally {
      clock.set('2026-11-20T12:00:00Z');
    }
  });

  it('a cancelled order gives back everything it spent', async () => {
    const { shop, o } = await spent(250, [{ points: 250 }]);
    await send(shop, envelope('order.cancelled', { order: o }));
    expect(await balanceOf(t.app, shop, 'r-1')).toMatchObject({ available: 250 });
  });
});
