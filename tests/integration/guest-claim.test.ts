import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { balanceOf } from '../helpers/members.ts';

// D10: saving a member with a verified e-mail claims the guest orders placed with it, and the answer to that save
// shows the member as the claim left it.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(() => t.close());

const send = (shop: TestShop, event: unknown) => sendEvent(t.app, shop, event, { t: Math.floor(clock.now().getTime() / 1000) });

/** A shop with two guest orders of guest@example.com: 100 points matured (19 days old), 200 still pending. */
async function shopWithGuestOrders(): Promise<TestShop> {
  const shop = await createShop(t.app);
  const guest = { customerId: null, email: 'Guest@Example.com' };
  await send(shop, envelope('order.completed', { order: order('g-old', guest) }, '2026-11-01T10:00:00Z'));
  await send(shop, envelope('order.completed', { order: order('g-new', { ...guest, lines: [{ unitPrice: 20_000 }] }) }, '2026-11-20T10:00:00Z'));
  return shop;
}

const putMember = (shop: TestShop, customerId: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'PUT',
    url: `/v1/members/${customerId}`,
    headers: { ...shop.auth, ...headers },
    payload: { email: 'guest@example.com', emailVerified: true },
  });

describe('PUT /v1/members claiming guest orders (D10)', () => {
  it('answers with the balance after the claim', async () => {
    const shop = await shopWithGuestOrders();
    const response = await putMember(shop, 'm-1');
    expect(response.statusCode).toBe(201);
    expect(response.json().balance).toEqual({ available: 100, pending: 200, held: 0 });
    expect(response.json().lifetime).toMatchObject({ earned: 100 }); // what reached available
    expect(await balanceOf(t.app, shop, 'm-1')).toEqual({ available: 100, pending: 200, held: 0 });
  });

  it('the same inside an idempotent request, and its replay', async () => {
    const shop = await shopWithGuestOrders();
    const first = await putMember(shop, 'm-2', { 'idempotency-key': 'claim-1' });
    const replay = await putMember(shop, 'm-2', { 'idempotency-key': 'claim-1' });
    expect(first.json().balance).toEqual({ available: 100, pending: 200, held: 0 });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().balance).toEqual({ available: 100, pending: 200, held: 0 });
  });

  it('an existing member verifying its e-mail gets its claimed points in the answer (200)', async () => {
    const shop = await shopWithGuestOrders();
    const unverified = await t.app.inject({
      method: 'PUT', url: '/v1/members/m-3', headers: shop.auth, payload: { email: 'guest@example.com', emailVerified: false },
    });
    expect(unverified.json().balance).toEqual({ available: 0, pending: 0, held: 0 });
    const verified = await putMember(shop, 'm-3');
    expect(verified.statusCode).toBe(200);
    expect(verified.json().balance).toEqual({ available: 100, pending: 200, held: 0 });
  });
});
