import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { balanceOf, putMember } from '../helpers/members.ts';

// D11 referral: both members get `bonuses.referral` when the referred member's first award matures.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(() => t.close());

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const DUE = '2026-12-04T10:00:00Z'; // an order completed 2026-11-20T10:00Z matures 14 days later
const send = async (shop: TestShop, event: unknown) => {
  const response = await sendEvent(t.app, shop, event, { t: Math.floor(clock.now().getTime() / 1000) });
  expect(response.statusCode, response.body).toBe(202);
};
const complete = (shop: TestShop, orderId: string, customerId: string, occurredAt = '2026-11-20T10:00:00Z') =>
  send(shop, envelope('order.completed', { order: order(orderId, { customerId }) }, occurredAt));
const mature = async (shop: TestShop, asOf: string) => {
  const response = await t.app.inject({ method: 'POST', url: `/v1/admin/shops/${shop.id}/jobs/mature`, headers: admin, payload: { asOf } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().counts as { matured: number; points: number };
};
const referrals = async (shop: TestShop) =>
  (await t.container.database.pool.query(
    `SELECT m.customer_id, b.reference, b.points::int AS points FROM bonuses b JOIN members m ON m.shop_id = b.shop_id AND m.id = b.member_id
      WHERE b.shop_id = $1 AND b.kind = 'referral' ORDER BY m.customer_id`, [shop.id])).rows;
const memberId = async (shop: TestShop, customerId: string) => (await t.container.members.get(shop.id, customerId)).id;
const put = (shop: TestShop, customerId: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'PUT', url: `/v1/members/${customerId}`, headers: shop.auth, payload });

async function referralShop(): Promise<TestShop> {
  const shop = await createShop(t.app);
  const response = await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { bonuses: { referral: 300 } } });
  expect(response.statusCode, response.body).toBe(200);
  return shop;
}

describe('referral (D11)', () => {
  it('pays both sides once, when the referred member\'s first award matures, not when it is awarded', async () => {
    const shop = await referralShop();
    await putMember(t.app, shop, 'alice');
    await putMember(t.app, shop, 'bob', { referredBy: 'alice' });
    await complete(shop, 'o-1', 'bob');
    await complete(shop, 'o-2', 'bob', '2026-11-25T10:00:00Z');
    // Bob's postings under the order's lock before any maturity (an award, its void on cancellation) pay nothing.
    await complete(shop, 'o-3', 'bob', '2026-11-25T10:00:00Z');
    await send(shop, envelope('order.cancelled', { order: order('o-3', { customerId: 'bob' }) }, '2026-11-26T10:00:00Z'));
    expect(await balanceOf(t.app, shop, 'bob')).toEqual({ available: 0, pending: 200, held: 0 });
    expect(await referrals(shop)).toEqual([]);

    expect(await mature(shop, '2026-12-04T09:59:59Z')).toEqual({ matured: 0, points: 0 });
    expect(await referrals(shop)).toEqual([]);
    expect(await mature(shop, DUE)).toEqual({ matured: 1, points: 100 });
    expect(await balanceOf(t.app, shop, 'bob')).toEqual({ available: 400, pending: 100, held: 0 });
    expect(await balanceOf(t.app, shop, 'alice')).toEqual({ available: 300, pending: 0, held: 0 });
    const bob = await memberId(shop, 'bob');
    expect(await referrals(shop)).toEqual([
      { customer_id: 'alice', reference: `referral:${bob}`, points: 300 },
      { customer_id: 'bob', reference: 'referred', points: 300 },
    ]);
    // Bob's second award matures: not his first, nothing more.
    expect(await mature(shop, '2026-12-09T10:00:00Z')).toEqual({ matured: 1, points: 100 });
    expect(await balanceOf(t.app, shop, 'alice')).toEqual({ available: 300, pending: 0, held: 0 });
    expect(await balanceOf(t.app, shop, 'bob')).toEqual({ available: 500, pending: 0, held: 0 });
    expect(await referrals(shop)).toHaveLength(2);
    const activity = (await t.app.inject({ method: 'GET', url: '/v1/members/alice/activity', headers: shop.auth })).json().data;
    expect(activity).toEqual([expect.objectContaining({ kind: 'bonus', bonusKind: 'referral', reference: `referral:${bob}`, points: 300, actor: 'system' })]);
    const check = await t.app.inject({ method: 'GET', url: '/v1/ledger/check', headers: shop.auth });
    expect(check.json()).toMatchObject({ ok: true });
  });

  it('pays when an award matures at once too, and through customer.upserted\'s referredBy', async () => {
    const shop = await referralShop();
    await putMember(t.app, shop, 'alice');
    await send(shop, envelope('customer.upserted', { customer: { id: 'carol', email: 'carol@example.com', referredBy: 'alice' } }));
    // Completed more than 14 days ago: it matures as it is awarded.
    await complete(shop, 'o-old', 'carol', '2026-11-01T10:00:00Z');
    expect(await balanceOf(t.app, shop, 'carol')).toEqual({ available: 400, pending: 0, held: 0 });
    expect(await balanceOf(t.app, shop, 'alice')).toEqual({ available: 300, pending: 0, held: 0 });
  });

  it('a referrer unknown at the first maturity: the referral lapses, even if the referrer joins later', async () => {
    const shop = await referralShop();
    await putMember(t.app, shop, 'dan', { referredBy: 'ghost' });
    expect((await t.container.members.get(shop.id, 'dan')).referredBy).toBe('ghost');
    await complete(shop, 'o-1', 'dan');
    await complete(shop, 'o-2', 'dan', '2026-11-25T10:00:00Z');
    await mature(shop, DUE);
    await putMember(t.app, shop, 'ghost');
    await mature(shop, '2026-12-09T10:00:00Z');
    expect(await referrals(shop)).toEqual([]);
    expect(await balanceOf(t.app, shop, 'ghost')).toEqual({ available: 0, pending: 0, held: 0 });
    expect(await balanceOf(t.app, shop, 'dan')).toEqual({ available: 200, pending: 0, held: 0 });
  });

  it('nothing while the program\'s referral is 0', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'alice');
    await putMember(t.app, shop, 'bob', { referredBy: 'alice' });
    await complete(shop, 'o-1', 'bob');
    await mature(shop, DUE);
    expect(await referrals(shop)).toEqual([]);
    expect(await balanceOf(t.app, shop, 'alice')).toEqual({ available: 0, pending: 0, held: 0 });
  });

  it('refuses a member referring itself (400 naming referredBy) and writes nothing', async () => {
    const shop = await referralShop();
    const self = await put(shop, 'eve', { email: 'eve@example.com', referredBy: 'eve' });
    expect(self.statusCode).toBe(400);
    expect(self.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: '/referredBy' }] });
    expect((await t.app.inject({ method: 'GET', url: '/v1/members/eve', headers: shop.auth })).statusCode).toBe(404);
    // An existing member too: its profile stays as it was.
    await putMember(t.app, shop, 'eve', { firstName: 'Eve' });
    expect((await put(shop, 'eve', { firstName: 'Evil', referredBy: 'eve' })).statusCode).toBe(400);
    expect(await t.container.members.get(shop.id, 'eve')).toMatchObject({ firstName: 'Eve', referredBy: null });
    const event = await sendEvent(t.app, shop, envelope('customer.upserted', { customer: { id: 'frank', referredBy: 'frank' } }), { t: Math.floor(clock.now().getTime() / 1000) });
    expect(event.statusCode).toBe(400);
    expect(event.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: '/data/customer/referredBy' }] });
    expect((await t.app.inject({ method: 'GET', url: '/v1/members/frank', headers: shop.auth })).statusCode).toBe(404);
  });

  it('keeps the first referrer: a later upsert naming another, or none, leaves it; naming the same one is fine', async () => {
    const shop = await referralShop();
    await putMember(t.app, shop, 'alice');
    await putMember(t.app, shop, 'zoe');
    await putMember(t.app, shop, 'bob', { referredBy: 'alice' });
    const same = await put(shop, 'bob', { email: 'bob@example.com', referredBy: 'alice' });
    expect(same.statusCode).toBe(200);
    expect(same.json().referredBy).toBe('alice');
    const other = await put(shop, 'bob', { email: 'bob@example.com', referredBy: 'zoe' });
    expect(other.statusCode).toBe(200);
    expect(other.json().referredBy).toBe('alice');
    expect((await put(shop, 'bob', { email: 'bob@example.com' })).json().referredBy).toBe('alice');
    await send(shop, envelope('customer.upserted', { customer: { id: 'bob', email: 'bob@example.com', referredBy: 'zoe' } }));
    expect((await t.container.members.get(shop.id, 'bob')).referredBy).toBe('alice');
    // A member without one may name one later.
    await putMember(t.app, shop, 'ivy');
    expect((await put(shop, 'ivy', { referredBy: 'zoe' })).json().referredBy).toBe('zoe');
    // The referral goes to the first referrer.
    await complete(shop, 'o-1', 'bob');
    await mature(shop, DUE);
    expect(await balanceOf(t.app, shop, 'alice')).toEqual({ available: 300, pending: 0, held: 0 });
    expect(await balanceOf(t.app, shop, 'zoe')).toEqual({ available: 0, pending: 0, held: 0 });
  });

  it('an order\'s customer names no referrer', async () => {
    const shop = await referralShop();
    await putMember(t.app, shop, 'alice');
    const data = order('o-1', { customerId: 'gus' });
    await send(shop, envelope('order.completed', { order: { ...data, customer: { ...data.customer, referredBy: 'alice' } } }));
    expect((await t.container.members.get(shop.id, 'gus')).referredBy).toBeNull();
  });

  it('members referring each other, maturing at once: each paid once (they can deadlock on each other\'s locks; withTx retries)', { timeout: 60_000 }, async () => {
    const shop = await referralShop();
    const pairs = 8;
    for (let i = 0; i < pairs; i++) {
      await putMember(t.app, shop, `p${i}a`);
      await putMember(t.app, shop, `p${i}b`, { referredBy: `p${i}a` });
      // The referrer was referred by its own referral: their maturities lock the two in opposite orders.
      await put(shop, `p${i}a`, { email: `p${i}a@example.com`, referredBy: `p${i}b` });
    }
    // Orders completed long ago mature as they are awarded, each pair's two at once.
    await Promise.all(Array.from({ length: pairs }, (_, i) => [
      complete(shop, `o-${i}a`, `p${i}a`, '2026-11-01T10:00:00Z'),
      complete(shop, `o-${i}b`, `p${i}b`, '2026-11-01T10:00:00Z'),
    ]).flat());
    for (let i = 0; i < pairs; i++) {
      // Each gets its own referred bonus and the referrer's for the other: 2 × 300, and its order's 100 points.
      expect(await balanceOf(t.app, shop, `p${i}a`)).toEqual({ available: 700, pending: 0, held: 0 });
      expect(await balanceOf(t.app, shop, `p${i}b`)).toEqual({ available: 700, pending: 0, held: 0 });
    }
    expect(await referrals(shop)).toHaveLength(pairs * 4);
  });
});
