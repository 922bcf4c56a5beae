import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { ADMIN_TOKEN, UNLIMITED_RATES, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { adjust, balanceOf, putMember } from '../helpers/members.ts';

// D8: the `expire` job over a timeline, through the operator route's asOf.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
let second: TestApp;
beforeAll(async () => {
  // Hundreds of members and lots are written through the API at once: more than a key may (D21).
  t = await buildTestApp({ clock, env: { DATABASE_POOL_MAX: '20', ...UNLIMITED_RATES } });
  // A second container on the same database: another worker process.
  second = await buildTestApp({ clock, databaseUrl: t.config.databaseUrl });
});
afterAll(async () => {
  await second.close();
  await t.close();
});

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const expire = async (shop: TestShop, asOf: string, dryRun = false, app = t) => {
  const response = await app.app.inject({ method: 'POST', url: `/v1/admin/shops/${shop.id}/jobs/expire`, headers: admin, payload: { asOf, dryRun } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().counts as { expired: number; points: number };
};
const program = (shop: TestShop, payload: Record<string, unknown>) => t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload });
const memberOf = async (shop: TestShop, id: string) => (await t.app.inject({ method: 'GET', url: `/v1/members/${id}`, headers: shop.auth })).json();
const entries = async (shop: TestShop, id: string) =>
  (await t.app.inject({ method: 'GET', url: `/v1/members/${id}/activity?limit=100`, headers: shop.auth })).json().data as { kind: string; points: number }[];
const credit = async (shop: TestShop, id: string, points: number, expiresAt?: string) => {
  const response = await adjust(t.app, shop, id, { points, ...(expiresAt ? { expiresAt } : {}) });
  expect(response.statusCode, response.body).toBeLessThan(300);
};
const hold = async (shop: TestShop, customerId: string, points: number) => {
  const response = await t.app.inject({ method: 'POST', url: '/v1/redemptions', headers: shop.auth, payload: { customerId, points } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
};

/** A shop with one member whose order of 100 points matured on 2026-12-04T10:00 under `expiry`. */
async function maturedAward(expiry: Record<string, unknown>): Promise<{ shop: TestShop; at: string | null }> {
  const shop = await createShop(t.app);
  expect((await program(shop, { expiry })).statusCode).toBe(200);
  const sent = await sendEvent(t.app, shop, envelope('order.completed', { order: order('o-1', { lines: [{ unitPrice: 10_000 }] }) }), {
    t: Math.floor(clock.now().getTime() / 1000),
  });
  expect(sent.statusCode, sent.body).toBe(202);
  await t.app.inject({ method: 'POST', url: `/v1/admin/shops/${shop.id}/jobs/mature`, headers: admin, payload: { asOf: '2026-12-04T10:00:00Z' } });
  const member = await memberOf(shop, 'c1');
  expect(member.balance.available).toBe(100);
  return { shop, at: member.expiring[0]?.at ?? null };
}

describe('dated lots (afterMonths, endOfPeriod)', () => {
  it('afterMonths: the remainder of a partly spent lot expires once, on its date', async () => {
    const { shop, at } = await maturedAward({ policy: 'afterMonths', months: 6 });
    expect(at).toBe('2027-06-04T10:00:00.000Z');
    expect((await adjust(t.app, shop, 'c1', { points: -30 })).statusCode).toBe(201);
    expect(await expire(shop, '2027-06-04T09:59:59.999Z')).toEqual({ expired: 0, points: 0 });
    expect(await expire(shop, at!, true)).toEqual({ expired: 1, points: 70 });
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 70, pending: 0, held: 0 });
    expect(await expire(shop, at!)).toEqual({ expired: 1, points: 70 });
    expect(await expire(shop, '2028-01-01T00:00:00Z')).toEqual({ expired: 0, points: 0 });
    const member = await memberOf(shop, 'c1');
    expect(member.balance).toEqual({ available: 0, pending: 0, held: 0 });
    expect(member.lifetime).toMatchObject({ expired: 70 });
    expect(member.expiring).toEqual([]);
    expect((await entries(shop, 'c1')).filter((e) => e.kind === 'expire').map((e) => e.points)).toEqual([-70]);
  });

  it('endOfPeriod: expires at the end of the month N months on', async () => {
    const { shop, at } = await maturedAward({ policy: 'endOfPeriod', months: 2, period: 'month' });
    expect(at).toBe('2027-03-01T00:00:00.000Z');
    expect(await expire(shop, '2027-02-28T23:59:59Z')).toEqual({ expired: 0, points: 0 });
    expect(await expire(shop, at!)).toEqual({ expired: 1, points: 100 });
    expect(await expire(shop, at!)).toEqual({ expired: 0, points: 0 });
    expect((await memberOf(shop, 'c1')).lifetime).toMatchObject({ expired: 100 });
  });

  it('none: an award gets no date and never expires; a dated adjustment still does', async () => {
    const { shop, at } = await maturedAward({ policy: 'none', months: 12 });
    expect(at).toBeNull();
    await credit(shop, 'c1', 5, '2027-01-01T00:00:00Z');
    expect(await expire(shop, '2099-01-01T00:00:00Z')).toEqual({ expired: 1, points: 5 });
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 100, pending: 0, held: 0 });
  });

  it('one entry per lot, soonest first, only what is due', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'm');
    await credit(shop, 'm', 10, '2027-01-01T00:00:00Z');
    await credit(shop, 'm', 20, '2027-02-01T00:00:00Z');
    await credit(shop, 'm', 40, '2027-03-01T00:00:00Z');
    await credit(shop, 'm', 80);
    expect(await expire(shop, '2027-02-01T00:00:00Z')).toEqual({ expired: 2, points: 30 });
    expect(await expire(shop, '2027-03-01T00:00:00Z')).toEqual({ expired: 1, points: 40 });
    expect(await balanceOf(t.app, shop, 'm')).toEqual({ available: 80, pending: 0, held: 0 });
  });
});

describe('debt and holds', () => {
  it('a member in debt expires nothing', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'd');
    await credit(shop, 'd', 100, '2027-01-01T00:00:00Z');
    await hold(shop, 'd', 100);
    expect((await adjust(t.app, shop, 'd', { points: -50, allowNegative: true })).statusCode).toBe(201);
    expect(await expire(shop, '2027-06-01T00:00:00Z', true)).toEqual({ expired: 0, points: 0 });
    expect(await expire(shop, '2027-06-01T00:00:00Z')).toEqual({ expired: 0, points: 0 });
    expect(await balanceOf(t.app, shop, 'd')).toEqual({ available: -50, pending: 0, held: 100 });
  });

  it('a lot backing a hold expires only the available part; the rest once the hold is released', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'h');
    await credit(shop, 'h', 100, '2026-12-01T00:00:00Z');
    const id = await hold(shop, 'h', 60);
    expect(await expire(shop, '2026-12-01T00:00:00Z')).toEqual({ expired: 1, points: 40 });
    expect(await balanceOf(t.app, shop, 'h')).toEqual({ available: 0, pending: 0, held: 60 });
    expect(await expire(shop, '2026-12-01T00:00:00Z')).toEqual({ expired: 0, points: 0 });
    expect((await t.app.inject({ method: 'POST', url: `/v1/redemptions/${id}/cancel`, headers: shop.auth })).statusCode).toBe(200);
    expect(await balanceOf(t.app, shop, 'h')).toEqual({ available: 60, pending: 0, held: 0 });
    expect(await expire(shop, '2026-12-01T00:00:00Z')).toEqual({ expired: 1, points: 60 });
    expect((await memberOf(shop, 'h')).lifetime).toMatchObject({ expired: 100 });
  });
});

describe('inactivity', () => {
  it('the whole balance expires N months after the last earn or burn, and activity resets the clock', async () => {
    const shop = await createShop(t.app);
    expect((await program(shop, { expiry: { policy: 'inactivity', months: 3 } })).statusCode).toBe(200);
    await putMember(t.app, shop, 'idle');
    await putMember(t.app, shop, 'busy');
    await credit(shop, 'idle', 100);
    await credit(shop, 'idle', 50, '2030-01-01T00:00:00Z');
    await credit(shop, 'busy', 100);
    clock.set('2027-01-20T12:00:00Z');
    try {
      const id = await hold(shop, 'busy', 10);
      const committed = await t.app.inject({ method: 'POST', url: `/v1/redemptions/${id}/commit`, headers: shop.auth, payload: { orderId: 'b-1' } });
      expect(committed.statusCode, committed.body).toBe(200);
    } finally {
      clock.set('2026-11-20T12:00:00Z');
    }
    expect(await expire(shop, '2027-02-20T11:59:59Z')).toEqual({ expired: 0, points: 0 });
    expect(await expire(shop, '2027-02-20T12:00:00Z', true)).toEqual({ expired: 2, points: 150 });
    expect(await expire(shop, '2027-02-20T12:00:00Z')).toEqual({ expired: 2, points: 150 });
    expect(await balanceOf(t.app, shop, 'idle')).toEqual({ available: 0, pending: 0, held: 0 });
    expect(await balanceOf(t.app, shop, 'busy')).toEqual({ available: 90, pending: 0, held: 0 });
    expect(await expire(shop, '2027-04-20T11:59:59Z')).toEqual({ expired: 0, points: 0 });
    expect(await expire(shop, '2027-04-20T12:00:00Z')).toEqual({ expired: 1, points: 90 });
  });
});

describe('concurrent sweeps', () => {
  it('two workers at once expire each lot exactly once', async () => {
    const shop = await createShop(t.app);
    const members = Array.from({ length: 150 }, (_, i) => `k-${i}`);
    await Promise.all(members.map(async (m) => {
      await putMember(t.app, shop, m);
      for (let j = 0; j < 4; j++) await credit(shop, m, 10 + j, `2027-01-0${j + 1}T00:00:00Z`);
    }));
    const runs = await Promise.all(
      Array.from({ length: 6 }, (_, i) => expire(shop, '2027-02-01T00:00:00Z', false, i % 2 ? second : t)),
    );
    expect(runs.reduce((s, r) => s + r.expired, 0)).toBe(600);
    expect(runs.reduce((s, r) => s + r.points, 0)).toBe(150 * (10 + 11 + 12 + 13));
    for (const m of members.slice(0, 5)) {
      expect((await entries(shop, m)).filter((e) => e.kind === 'expire').map((e) => -e.points).sort()).toEqual([10, 11, 12, 13]);
    }
  });
});
