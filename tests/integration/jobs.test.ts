import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { adjust, balanceOf, putMember } from '../helpers/members.ts';

// D18: a shop runs its jobs as of now (at most 5 minutes ahead); an operator runs them for any shop at any time;
// a dry run counts exactly what a run would do.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock, env: { DATABASE_POOL_MAX: '20' } });
});
afterAll(() => t.close());

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const asShop = (shop: TestShop, name: string, body: Record<string, unknown> = {}) =>
  t.app.inject({ method: 'POST', url: `/v1/jobs/${name}`, headers: shop.auth, payload: body });
const asOperator = (shopId: string, name: string, body: Record<string, unknown> = {}, headers: Record<string, string> = admin) =>
  t.app.inject({ method: 'POST', url: `/v1/admin/shops/${shopId}/jobs/${name}`, headers, payload: body });
const send = async (shop: TestShop, event: unknown) => {
  const response = await sendEvent(t.app, shop, event, { t: Math.floor(clock.now().getTime() / 1000) });
  expect(response.statusCode, response.body).toBe(202);
};

/** A shop whose member c1 has `n` pending awards of 100 + i points each, all due on 2026-12-04. */
async function shopWithAwards(n: number): Promise<{ shop: TestShop; points: number }> {
  const shop = await createShop(t.app);
  await send(shop, envelope('order.completed', { order: order('a-0', { lines: [{ unitPrice: 10_000 }] }) }, '2026-11-20T10:00:00Z'));
  for (let from = 1; from < n; from += 25) {
    const batch = Array.from({ length: Math.min(25, n - from) }, (_, k) => from + k);
    await Promise.all(batch.map((i) => send(shop, envelope('order.completed', { order: order(`a-${i}`, { lines: [{ unitPrice: 10_000 + i * 100 }] }) }, '2026-11-20T10:00:00Z'))));
  }
  return { shop, points: Array.from({ length: n }, (_, i) => 100 + i).reduce((a, b) => a + b, 0) };
}

describe('a shop runs its jobs as of now (D18)', () => {
  it('refuses an asOf more than 5 minutes ahead with 403 as_of_in_future, and changes nothing', async () => {
    const { shop } = await shopWithAwards(1);
    for (const [name, asOf, dryRun] of [
      ['mature', '2026-12-05T00:00:00Z', false],
      ['mature', '2026-11-20T12:05:00.001Z', false],
      ['mature', '2026-12-05T00:00:00Z', true],
      ['release-holds', '2026-11-20T13:00:00Z', false],
    ] as const) {
      const response = await asShop(shop, name, { asOf, dryRun });
      expect(response.statusCode, `${name} ${asOf}`).toBe(403);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ code: 'as_of_in_future', latestAsOf: '2026-11-20T12:05:00.000Z' });
    }
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 0, pending: 100, held: 0 });
  });

  it('accepts an asOf exactly 5 minutes ahead, any past one, and none (now)', async () => {
    const shop = await createShop(t.app);
    for (const body of [{ asOf: '2026-11-20T12:05:00Z' }, { asOf: '2026-11-20T12:05:00.000+00:00' }, { asOf: '2020-01-01T00:00:00Z' }, {}]) {
      const response = await asShop(shop, 'mature', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(200);
      expect(response.json()).toMatchObject({ job: 'mature', counts: { matured: 0, points: 0 } });
    }
    expect((await asShop(shop, 'mature')).json().asOf).toBe('2026-11-20T12:00:00.000Z');
  });
});

describe('an operator runs a job for one shop at any time (D18)', () => {
  it('matures that shop\'s due awards, and only that shop\'s', async () => {
    const { shop } = await shopWithAwards(1);
    const { shop: other } = await shopWithAwards(1);
    const early = await asOperator(shop.id, 'mature', { asOf: '2026-12-04T09:59:59Z' });
    expect(early.statusCode).toBe(200);
    expect(early.json()).toEqual({ job: 'mature', asOf: '2026-12-04T09:59:59.000Z', dryRun: false, counts: { matured: 0, points: 0 } });
    expect((await asOperator(shop.id, 'mature', { asOf: '2026-12-04T10:00:00Z' })).json().counts).toEqual({ matured: 1, points: 100 });
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 100, pending: 0, held: 0 });
    expect(await balanceOf(t.app, other, 'c1')).toEqual({ available: 0, pending: 100, held: 0 });
  });

  it('404 for an unknown shop, an unknown job or a global sweep; 401 without the operator token', async () => {
    const shop = await createShop(t.app);
    const unknownShop = await asOperator('shop_nope', 'mature', { asOf: '2027-01-01T00:00:00Z' });
    expect(unknownShop.statusCode).toBe(404);
    expect(unknownShop.json()).toMatchObject({ code: 'not_found', detail: 'Shop not found' });
    for (const name of ['no-such-job', 'purge-inbound-events', 'purge-idempotency-keys', 'purge-outbound-history', 'constructor']) {
      const response = await asOperator(shop.id, name);
      expect(response.statusCode, name).toBe(404);
      expect(response.json().detail).toContain('(available: mature, expire, remind, mail, release-holds, webhooks, tiers, feedback-requests, birthdays)');
    }
    expect((await asOperator(shop.id, 'mature', {}, shop.auth)).statusCode).toBe(401);
    expect((await asOperator(shop.id, 'mature', {}, {})).statusCode).toBe(401);
  });
});

describe('a dry run counts exactly what a run does (D18)', () => {
  it('mature, with more due awards than one chunk of 200', { timeout: 60_000 }, async () => {
    const { shop, points } = await shopWithAwards(230);
    const asOf = '2026-12-05T00:00:00Z';
    const dry = await asOperator(shop.id, 'mature', { asOf, dryRun: true });
    expect(dry.json()).toMatchObject({ dryRun: true, counts: { matured: 230, points } });
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 0, pending: points, held: 0 });
    const real = await asOperator(shop.id, 'mature', { asOf });
    expect(real.json().counts).toEqual(dry.json().counts);
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: points, pending: 0, held: 0 });
    expect((await asOperator(shop.id, 'mature', { asOf, dryRun: true })).json().counts).toEqual({ matured: 0, points: 0 });
  });

  it('release-holds, with more expired holds than one chunk of 200, and their points', { timeout: 60_000 }, async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'h1');
    await adjust(t.app, shop, 'h1', { points: 100_000 });
    for (let from = 1; from <= 230; from += 25) {
      const batch = Array.from({ length: Math.min(25, 231 - from) }, (_, k) => from + k);
      const held = await Promise.all(batch.map((i) => t.app.inject({ method: 'POST', url: '/v1/redemptions', headers: shop.auth, payload: { customerId: 'h1', points: i } })));
      expect(held.map((r) => r.statusCode)).toEqual(batch.map(() => 201));
    }
    const points = (230 * 231) / 2;
    // Holds last 30 minutes: expired by 12:30.
    const dry = await asOperator(shop.id, 'release-holds', { asOf: '2026-11-20T12:30:00Z', dryRun: true });
    expect(dry.json().counts).toEqual({ released: 230, points });
    expect(await balanceOf(t.app, shop, 'h1')).toEqual({ available: 100_000 - points, pending: 0, held: points });
    const real = await asOperator(shop.id, 'release-holds', { asOf: '2026-11-20T12:30:00Z' });
    expect(real.json().counts).toEqual(dry.json().counts);
    expect(await balanceOf(t.app, shop, 'h1')).toEqual({ available: 100_000, pending: 0, held: 0 });
  });
});
