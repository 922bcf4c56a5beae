import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedbackToken } from '../../services/core/feedback/feedback-mail.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { balanceOf, putMember } from '../helpers/members.ts';

// D14: the shop's feedback route, and the points for an answer (bonuses.feedback, D11) once per order, whichever
// way the answer came (the route or the e-mail's score page).
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock, env: { PUBLIC_URL: 'https://loyalty.example/' } });
});
afterAll(() => t.close());

const answer = (shop: TestShop, customerId: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: `/v1/members/${customerId}/feedback`, headers: { ...shop.auth, ...headers }, payload });
const rows = async (shop: TestShop) =>
  (await t.container.database.pool.query(`SELECT order_id, score, comment, source FROM feedback WHERE shop_id = $1 ORDER BY order_id`, [shop.id])).rows;
const feedbackBonuses = async (shop: TestShop) =>
  (await t.container.database.pool.query(
    `SELECT m.customer_id, b.reference, b.points::int AS points FROM bonuses b JOIN members m ON m.shop_id = b.shop_id AND m.id = b.member_id
      WHERE b.shop_id = $1 AND b.kind = 'feedback' ORDER BY b.reference`, [shop.id])).rows;

/** A shop giving `points` for an answer, with members c1 (orders o-1, o-3) and c2 (order o-2), all completed. */
async function feedbackShop(points = 25): Promise<TestShop> {
  const shop = await createShop(t.app);
  const program = await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { bonuses: { feedback: points } } });
  expect(program.statusCode, program.body).toBe(200);
  await putMember(t.app, shop, 'c1');
  await putMember(t.app, shop, 'c2');
  for (const [orderId, customerId] of [['o-1', 'c1'], ['o-2', 'c2'], ['o-3', 'c1']] as const) {
    const sent = await sendEvent(t.app, shop, envelope('order.completed', { order: order(orderId, { customerId }) }), { t: Math.floor(clock.now().getTime() / 1000) });
    expect(sent.statusCode, sent.body).toBe(202);
  }
  return shop;
}

describe('POST /v1/members/{customerId}/feedback (D14)', () => {
  it('records the answer (201) with its points; a second for the order is 409 feedback_exists and gives nothing', async () => {
    const shop = await feedbackShop();
    const first = await answer(shop, 'c1', { orderId: 'o-1', score: 9, comment: '  Fast delivery  ' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({
      orderId: 'o-1', score: 9, comment: 'Fast delivery', answeredAt: clock.now().toISOString(),
      bonus: { points: 25, entryId: expect.stringMatching(/^ent_/) },
    });
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 25, pending: 200, held: 0 });
    const second = await answer(shop, 'c1', { orderId: 'o-1', score: 2 });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('feedback_exists');
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 25, pending: 200, held: 0 });
    expect(await rows(shop)).toEqual([{ order_id: 'o-1', score: 9, comment: 'Fast delivery', source: 'api' }]);
    // Another order of the member: its own answer, its own points.
    expect((await answer(shop, 'c1', { orderId: 'o-3', score: 0 })).json()).toMatchObject({ score: 0, comment: null, bonus: { points: 25 } });
    expect(await feedbackBonuses(shop)).toEqual([{ customer_id: 'c1', reference: 'o-1', points: 25 }, { customer_id: 'c1', reference: 'o-3', points: 25 }]);
    const entry = (await t.app.inject({ method: 'GET', url: '/v1/members/c1/activity', headers: shop.auth })).json().data[0];
    expect(entry).toMatchObject({ kind: 'bonus', bonusKind: 'feedback', reference: 'o-3', points: 25, actor: 'system' });
    const check = await t.app.inject({ method: 'GET', url: '/v1/ledger/check', headers: shop.auth });
    expect(check.json()).toMatchObject({ ok: true });
  });

  it('404 for someone else\'s order, an unknown order or member; 400 for a score outside 0..10; nothing written', async () => {
    const shop = await feedbackShop();
    for (const [customerId, orderId] of [['c1', 'o-2'], ['c1', 'o-missing'], ['nobody', 'o-1']] as const) {
      const response = await answer(shop, customerId, { orderId, score: 8 });
      expect(response.statusCode, `${customerId} ${orderId}`).toBe(404);
      expect(response.json().code).toBe('not_found');
    }
    for (const [payload, field] of [
      [{ orderId: 'o-1', score: 11 }, '/score'],
      [{ orderId: 'o-1', score: -1 }, '/score'],
      [{ orderId: 'o-1', score: 7.5 }, '/score'],
      [{ orderId: 'o-1', score: '7' }, '/score'],
      [{ orderId: 'o-1' }, '/score'],
      [{ orderId: 'o-1', score: 7, comment: 'x'.repeat(2001) }, '/comment'],
      [{ score: 7 }, '/orderId'],
    ] as const) {
      const response = await answer(shop, 'c1', payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(400);
      expect(response.json().code).toBe('validation_failed');
      expect(JSON.stringify(response.json().errors)).toContain(field);
    }
    expect(await rows(shop)).toEqual([]);
    expect(await feedbackBonuses(shop)).toEqual([]);
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 0, pending: 200, held: 0 });
  });

  it('points once per order whichever way the answer comes: the e-mail\'s score page, then the route', async () => {
    const shop = await feedbackShop();
    const member = (await t.container.members.get(shop.id, 'c2')).id;
    const token = feedbackToken(t.config.secretKey, { shopId: shop.id, memberId: member, orderId: 'o-2' });
    const page = await t.app.inject({ method: 'POST', url: '/v1/feedback', payload: { token, score: 10 } });
    expect(page.statusCode, page.body).toBe(201);
    expect(await balanceOf(t.app, shop, 'c2')).toEqual({ available: 25, pending: 100, held: 0 });
    const form = await t.app.inject({
      method: 'POST', url: '/v1/feedback', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token, score: '3' }).toString(),
    });
    expect(form.statusCode).toBe(409);
    expect((await answer(shop, 'c2', { orderId: 'o-2', score: 4 })).statusCode).toBe(409);
    expect(await balanceOf(t.app, shop, 'c2')).toEqual({ available: 25, pending: 100, held: 0 });
    expect(await feedbackBonuses(shop)).toEqual([{ customer_id: 'c2', reference: 'o-2', points: 25 }]);
  });

  it('two answers at once for one order: one recorded, one 409, the points once', async () => {
    const shop = await feedbackShop();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => answer(shop, 'c1', { orderId: 'o-1', score: i })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 25, pending: 200, held: 0 });
  });

  it('records without points while the program\'s feedback is 0; honours Idempotency-Key', async () => {
    const shop = await feedbackShop(0);
    const first = await answer(shop, 'c1', { orderId: 'o-1', score: 6 }, { 'idempotency-key': 'fb-1' });
    expect(first.statusCode).toBe(201);
    expect(first.json().bonus).toBeNull();
    const replay = await answer(shop, 'c1', { orderId: 'o-1', score: 6 }, { 'idempotency-key': 'fb-1' });
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 0, pending: 200, held: 0 });
    expect(await rows(shop)).toEqual([{ order_id: 'o-1', score: 6, comment: null, source: 'api' }]);
  });
});
