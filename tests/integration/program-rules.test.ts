import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';

const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
let shop: TestShop;
beforeAll(async () => {
  t = await buildTestApp({ clock });
  shop = await createShop(t.app);
});
afterAll(() => t.close());

const send = (event: unknown) => sendEvent(t.app, shop, event, { t: Math.floor(clock.now().getTime() / 1000) });

describe('GET|PUT /v1/program', () => {
  it('starts from the documented defaults', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/program', headers: shop.auth });
    expect(response.json()).toEqual({
      currency: 'PLN',
      pointsPerUnit: 1,
      awardOn: 'completed',
      pendingDays: 14,
      includeShipping: false,
      includeTax: false,
      negativeBalance: 'allow',
      expiry: { policy: 'none', months: 12 },
      remindDaysBefore: [30, 7],
      redemption: { pointValue: 1, minPoints: 0, maxPercentOfOrder: 100, holdMinutes: 30 },
      restoreGraceDays: 30,
      guestAccrual: true,
      bonuses: { signup: 0, birthday: 0, review: 0, referral: 0, feedback: 0 },
      feedbackRequestDays: null,
      mail: { senderName: '', replyTo: '', accountUrl: '' },
    });
  });

  it('changes the fields named and keeps the rest', async () => {
    const other = await createShop(t.app);
    const response = await t.app.inject({
      method: 'PUT',
      url: '/v1/program',
      headers: other.auth,
      payload: { pointsPerUnit: 0.5, redemption: { minPoints: 100 }, expiry: { policy: 'afterMonths', months: 24 } },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      pointsPerUnit: 0.5,
      pendingDays: 14,
      redemption: { pointValue: 1, minPoints: 100, maxPercentOfOrder: 100, holdMinutes: 30 },
      expiry: { policy: 'afterMonths', months: 24 },
    });
    const again = await t.app.inject({ method: 'GET', url: '/v1/program', headers: other.auth });
    expect(again.json().redemption.minPoints).toBe(100);
  });

  it.each([
    [{ awardOn: 'shipped' }, '/awardOn'],
    [{ pendingDays: -1 }, '/pendingDays'],
    [{ pointsPerUnit: 0.00001 }, '/pointsPerUnit'],
    [{ currency: 'EUR' }, '/currency'],
    [{ expiry: { policy: 'endOfPeriod', months: 12 } }, '/expiry/period'],
    [{ redemption: { maxPercentOfOrder: 150 } }, '/redemption/maxPercentOfOrder'],
  ])('refuses %j (%s) and changes nothing', async (body, field) => {
    const response = await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: body });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    const after = await t.app.inject({ method: 'GET', url: '/v1/program', headers: shop.auth });
    expect(after.json().awardOn).toBe('completed');
  });
});

describe('rules (D12)', () => {
  it('are versioned, and an award names the versions it used', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/rules',
      headers: shop.auth,
      payload: { name: 'Double shoes', conditions: { categories: ['shoes'] }, effect: { multiplier: 2, per: 'line' } },
    });
    expect(created.statusCode).toBe(201);
    const rule = created.json();
    expect(rule).toMatchObject({ version: 1, active: true, stackable: false });

    await send(envelope('order.completed', { order: order('v1', { lines: [{ unitPrice: 10_000, categories: ['shoes'] }, { unitPrice: 5_000 }] }) }));
    const first = (await t.app.inject({ method: 'GET', url: '/v1/orders/v1', headers: shop.auth })).json();
    expect(first.award).toMatchObject({ points: 250, rules: [{ ruleId: rule.id, version: 1 }] });

    const updated = await t.app.inject({
      method: 'PUT',
      url: `/v1/rules/${rule.id}`,
      headers: shop.auth,
      payload: { name: 'Triple shoes', conditions: { categories: ['shoes'] }, effect: { multiplier: 3, per: 'line' } },
    });
    expect(updated.json().version).toBe(2);
    await send(envelope('order.completed', { order: order('v2', { lines: [{ unitPrice: 10_000, categories: ['shoes'] }] }) }));
    const second = (await t.app.inject({ method: 'GET', url: '/v1/orders/v2', headers: shop.auth })).json();
    expect(second.award).toMatchObject({ points: 300, rules: [{ ruleId: rule.id, version: 2 }] });
    // The first award keeps its snapshot and the version it used.
    expect((await t.app.inject({ method: 'GET', url: '/v1/orders/v1', headers: shop.auth })).json().award.rules).toEqual([{ ruleId: rule.id, version: 1 }]);

    const listed = await t.app.inject({ method: 'GET', url: '/v1/rules', headers: shop.auth });
    expect(listed.json().data.map((r: { id: string }) => r.id)).toContain(rule.id);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/rules/${rule.id}`, headers: shop.auth })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/v1/rules/${rule.id}`, headers: shop.auth })).statusCode).toBe(404);
    await send(envelope('order.completed', { order: order('v3', { lines: [{ unitPrice: 10_000, categories: ['shoes'] }] }) }));
    expect((await t.app.inject({ method: 'GET', url: '/v1/orders/v3', headers: shop.auth })).json().award).toMatchObject({ points: 100, rules: [] });
    const versions = await t.container.database.pool.query(`SELECT version FROM rule_versions WHERE rule_id = $1 ORDER BY version`, [rule.id]);
    expect(versions.rows.map((r) => r.version)).toEqual([1, 2, 3]);
  });

  it('a refund under a x2 rule takes back the points awarded, not the base (D5)', async () => {
    const own = await createShop(t.app);
    const sendOwn = (event: unknown) => sendEvent(t.app, own, event, { t: Math.floor(clock.now().getTime() / 1000) });
    await t.app.inject({ method: 'POST', url: '/v1/rules', headers: own.auth, payload: { name: 'x2', effect: { multiplier: 2, per: 'line' } } });
    const o = order('x2-1', { lines: [{ unitPrice: 10_000, quantity: 2 }] });
    await sendOwn(envelope('order.completed', { order: o }));
    const view = async () => (await t.app.inject({ method: 'GET', url: '/v1/orders/x2-1', headers: own.auth })).json();
    expect((await view()).award).toMatchObject({ points: 400, lines: [expect.objectContaining({ basePoints: 200, points: 400 })] });
    const refund = (id: string) =>
      sendOwn(envelope('order.refunded', { order: o, refund: { id, amount: 10_000, lines: [{ lineId: '1', quantity: 1, amount: 10_000 }] } }));
    expect((await refund('x2-r1')).json().status).toBe('applied');
    expect((await view()).reversed).toBe(200); // one of two units: half of 400, not half of the base
    expect((await refund('x2-r2')).json().status).toBe('applied');
    expect((await view()).reversed).toBe(400);
    const member = (await t.app.inject({ method: 'GET', url: '/v1/members/c1', headers: own.auth })).json();
    expect(member.balance).toEqual({ available: 0, pending: 0, held: 0 });
  });

  it.each([
    [{ name: 'x', effect: { per: 'line' } }, '/effect'],
    [{ name: 'x', effect: { multiplier: 2, per: 'line' }, startsAt: '2026-12-01T00:00:00Z', endsAt: '2026-11-01T00:00:00Z' }, '/endsAt'],
    [{ name: 'x', effect: { multiplier: -1, per: 'line' } }, '/effect/multiplier'],
  ])('refuses %j', async (body, field) => {
    const response = await t.app.inject({ method: 'POST', url: '/v1/rules', headers: shop.auth, payload: body });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it("keeps one shop's rules from another", async () => {
    const other = await createShop(t.app);
    const mine = await t.app.inject({ method: 'POST', url: '/v1/rules', headers: shop.auth, payload: { name: 'm', effect: { bonusPoints: 5, per: 'order' } } });
    const response = await t.app.inject({ method: 'GET', url: `/v1/rules/${mine.json().id}`, headers: other.auth });
    expect(response.statusCode).toBe(404);
    const del = await t.app.inject({ method: 'DELETE', url: `/v1/rules/${mine.json().id}`, headers: other.auth });
    expect(del.statusCode).toBe(404);
  });
});
