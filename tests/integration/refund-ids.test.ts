import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { adjust, putMember } from '../helpers/members.ts';

// D5: every reversal entry names the refund it answers for, on the pending and the available path and in a
// write-off; what a cancellation takes back names none. D6: a restore of redeemed points names its refund too.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(() => t.close());

const send = async (shop: TestShop, event: unknown) => {
  const response = await sendEvent(t.app, shop, event, { t: Math.floor(clock.now().getTime() / 1000) });
  expect(response.statusCode, response.body).toBe(202);
  return response.json().status as string;
};

/** The member's entries of these kinds, oldest first, as `GET /v1/members/{id}/activity` shows them. */
async function entries(shop: TestShop, customerId: string, kinds = ['reverse', 'writeoff', 'restore']) {
  const response = await t.app.inject({ method: 'GET', url: `/v1/members/${customerId}/activity?limit=200`, headers: shop.auth });
  expect(response.statusCode).toBe(200);
  return (response.json().data as { kind: string; points: number; refundId?: string }[])
    .filter((e) => kinds.includes(e.kind))
    .reverse()
    .map((e) => ({ kind: e.kind, points: e.points, refundId: e.refundId ?? null }));
}

// Two lines: line 1 earns 300 (3 × 100.00), line 2 earns 100 (2 × 50.00); 400 points for 40,000 paid.
const o = order('r-1', { lines: [{ unitPrice: 10_000, quantity: 3 }, { unitPrice: 5_000, quantity: 2 }] });
const refunded = (refund: Record<string, unknown>, at = '2026-11-20T11:00:00Z') => envelope('order.refunded', { order: o, refund }, at);
const lineRefund = (id: string, lineId: string, quantity: number, unitPrice: number) =>
  ({ id, amount: quantity * unitPrice, lines: [{ lineId, quantity, amount: quantity * unitPrice }] });

/** The order completed `at`: 19 days before the clock it matures as it arrives, on the day it stays pending. */
async function awarded(at: string, program: Record<string, unknown> = {}) {
  const shop = await createShop(t.app);
  if (Object.keys(program).length > 0) await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: program });
  expect(await send(shop, envelope('order.completed', { order: o }, at))).toBe('applied');
  return shop;
}

describe('reversal entries name their refund (D5)', () => {
  it('on pending points', async () => {
    const shop = await awarded('2026-11-20T10:00:00Z');
    await send(shop, refunded(lineRefund('rf-1', '1', 1, 10_000)));
    await send(shop, refunded({ id: 'rf-2', amount: 10_000 }));
    expect(await entries(shop, 'c1')).toEqual([
      { kind: 'reverse', points: -100, refundId: 'rf-1' },
      { kind: 'reverse', points: -100, refundId: 'rf-2' },
    ]);
  });

  it('on available points, and in the export', async () => {
    const shop = await awarded('2026-11-01T10:00:00Z');
    await send(shop, refunded(lineRefund('rf-1', '2', 1, 5_000)));
    expect(await entries(shop, 'c1')).toEqual([{ kind: 'reverse', points: -50, refundId: 'rf-1' }]);
    const exported = (await t.app.inject({ method: 'GET', url: '/v1/members/c1/export', headers: shop.auth })).json();
    expect(exported.entries.filter((e: { kind: string }) => e.kind === 'reverse')).toEqual([
      expect.objectContaining({ kind: 'reverse', points: -50, refundId: 'rf-1', orderId: 'r-1' }),
    ]);
  });

  it('on the write-off of what the member no longer has', async () => {
    const shop = await awarded('2026-11-01T10:00:00Z', { negativeBalance: 'writeoff' });
    await adjust(t.app, shop, 'c1', { points: -350, reason: 'spent' });
    await send(shop, refunded({ id: 'rf-all', amount: 40_000 }));
    expect(await entries(shop, 'c1')).toEqual([
      { kind: 'reverse', points: -50, refundId: 'rf-all' },
      { kind: 'writeoff', points: 0, refundId: 'rf-all' },
    ]);
  });

  it('a cancellation after maturity names none; a refund before it keeps its own', async () => {
    const shop = await awarded('2026-11-01T10:00:00Z');
    await send(shop, refunded(lineRefund('rf-1', '1', 1, 10_000)));
    await send(shop, envelope('order.cancelled', { order: o }, '2026-11-20T11:30:00Z'));
    expect(await entries(shop, 'c1')).toEqual([
      { kind: 'reverse', points: -100, refundId: 'rf-1' },
      { kind: 'reverse', points: -300, refundId: null },
    ]);
  });

  it('refunds that arrive before the award, and out of order: each reversal names the refund it answers for', async () => {
    const shop = await createShop(t.app);
    // rf-late occurred last but arrives first; the award comes after both refunds.
    await send(shop, refunded(lineRefund('rf-late', '1', 1, 10_000), '2026-11-20T11:30:00Z'));
    await send(shop, refunded(lineRefund('rf-early', '2', 1, 5_000), '2026-11-20T11:00:00Z'));
    await send(shop, envelope('order.completed', { order: o }, '2026-11-20T10:00:00Z'));
    // Then a third refund that occurred before both: it is the one this event applies, and it names what is new.
    await send(shop, refunded(lineRefund('rf-first', '1', 1, 10_000), '2026-11-20T10:30:00Z'));
    expect(await entries(shop, 'c1')).toEqual([
      { kind: 'reverse', points: -50, refundId: 'rf-early' },
      { kind: 'reverse', points: -100, refundId: 'rf-late' },
      { kind: 'reverse', points: -100, refundId: 'rf-first' },
    ]);
  });
});

describe('restores of redeemed points name their refund (D6)', () => {
  async function spent(points: number) {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'c1');
    await adjust(t.app, shop, 'c1', { points: 1_000 });
    const id = (await t.app.inject({ method: 'POST', url: '/v1/redemptions', headers: shop.auth, payload: { customerId: 'c1', points } })).json().id;
    const paid = { ...order('rs-1', { lines: [{ unitPrice: 10_000 }], pointsAmount: points }), pointsRedeemed: { redemptionId: id, points, amount: points } };
    expect(await send(shop, envelope('order.placed', { order: paid }))).toBe('applied');
    return { shop, paid };
  }

  it('a refund\'s restore names it; a cancellation\'s names none', async () => {
    const { shop, paid } = await spent(400);
    // Paid 9,600 in money: a quarter refunded gives back 100 of the 400 points.
    await send(shop, envelope('order.refunded', { order: paid, refund: { id: 'rf-1', amount: 2_400 } }));
    await send(shop, envelope('order.cancelled', { order: paid }));
    expect(await entries(shop, 'c1', ['restore'])).toEqual([
      { kind: 'restore', points: 100, refundId: 'rf-1' },
      { kind: 'restore', points: 300, refundId: null },
    ]);
  });
});
