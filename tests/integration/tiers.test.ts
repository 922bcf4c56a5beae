import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { MAIL_PLANS, templateOf } from '../../services/core/mail/mail-plans.ts';
import type { DomainEvent } from '../../services/core/outbox/outbox-types.ts';

// D9 through the API: configuration, upgrades at maturity, the multiplier at award time, reviews, tiers by hand.
const clock = fixedClock('2026-03-01T12:00:00Z');
let t: TestApp;
let second: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
  // A second container on the same database: another worker running the same job.
  second = await buildTestApp({ clock, databaseUrl: t.config.databaseUrl });
});
afterAll(async () => {
  await second.close();
  await t.close();
});

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const TIERS = {
  basis: 'points',
  window: 'calendarYear',
  retainMonths: 0,
  stepDown: false,
  tiers: [
    { id: 'base', name: 'Member', threshold: 0, multiplier: 1, benefits: [] },
    { id: 'silver', name: 'Silver', threshold: 150, multiplier: 1.5, benefits: ['Free shipping'] },
    { id: 'gold', name: 'Gold', threshold: 400, multiplier: 2, benefits: ['Free shipping', 'Early access'] },
  ],
};

const putTiers = (shop: TestShop, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'PUT', url: '/v1/tiers', headers: { ...shop.auth, ...headers }, payload });
const memberOf = async (shop: TestShop, id = 'c1') => (await t.app.inject({ method: 'GET', url: `/v1/members/${id}`, headers: shop.auth })).json();
const historyOf = async (shop: TestShop, id = 'c1') =>
  (await t.app.inject({ method: 'GET', url: `/v1/members/${id}/tiers`, headers: shop.auth })).json().data as { from: string; to: string; reason: string }[];
const orderOf = async (shop: TestShop, id: string) => (await t.app.inject({ method: 'GET', url: `/v1/orders/${id}`, headers: shop.auth })).json();
const job = async (shop: TestShop, name: string, asOf: string, dryRun = false, app = t) => {
  const response = await app.app.inject({ method: 'POST', url: `/v1/admin/shops/${shop.id}/jobs/${name}`, headers: admin, payload: { asOf, dryRun } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().counts;
};
const signedNow = () => ({ t: Math.floor(clock.now().getTime() / 1000) });
const send = async (shop: TestShop, type: string, data: Record<string, unknown>) => {
  const response = await sendEvent(t.app, shop, envelope(type, data, clock.now().toISOString()), signedNow());
  expect(response.statusCode, response.body).toBe(202);
  return response.json();
};
/** An order of `amount` minor units, completed now (one point per unit, so amount / 100 base points). */
const complete = (shop: TestShop, id: string, amount: number, customerId = 'c1') =>
  send(shop, 'order.completed', { order: order(id, { customerId, lines: [{ unitPrice: amount }] }) });
const refund = (shop: TestShop, id: string, amount: number, customerId = 'c1') =>
  send(shop, 'order.refunded', { order: order(id, { customerId, lines: [{ unitPrice: amount }] }), refund: { id: `r-${id}`, amount } });
/** Moves the clock to `at` and matures what is due then (entries are made at the clock's time). */
const matureAt = async (shop: TestShop, at: string) => {
  clock.set(at);
  return job(shop, 'mature', at);
};
const tierEvents = async (shop: TestShop) =>
  (await t.container.database.pool.query(`SELECT data FROM outbox WHERE shop_id = $1 AND type = 'tier.changed' ORDER BY id`, [shop.id])).rows.map((r) => r.data);

describe('tier configuration', () => {
  it('refuses a configuration that breaks the rules, with the fields, and keeps the one it had', async () => {
    const shop = await createShop(t.app);
    clock.set('2026-03-01T12:00:00Z');
    const bad = (change: (c: typeof TIERS) => object) => change(structuredClone(TIERS));
    const cases: [object, string][] = [
      [bad((c) => ({ ...c, tiers: [{ ...c.tiers[0], threshold: 5 }, ...c.tiers.slice(1)] })), '/tiers/0/threshold'],
      [bad((c) => ({ ...c, tiers: [c.tiers[0], c.tiers[2], c.tiers[1]] })), '/tiers/2/threshold'],
      [bad((c) => ({ ...c, tiers: [c.tiers[0], { ...c.tiers[1], threshold: 0 }] })), '/tiers/1/threshold'],
      [bad((c) => ({ ...c, tiers: [c.tiers[0], { ...c.tiers[1], multiplier: 0.5 }] })), '/tiers/1/multiplier'],
      [bad((c) => ({ ...c, tiers: [c.tiers[0], { ...c.tiers[1], multiplier: 11 }] })), '/tiers/1/multiplier'],
      [bad((c) => ({ ...c, tiers: [c.tiers[0], { ...c.tiers[1], multiplier: 1.255 }] })), '/tiers/1/multiplier'],
      [bad((c) => ({ ...c, tiers: Array.from({ length: 11 }, (_, i) => ({ ...c.tiers[0], id: `t${i}`, threshold: i * 10 })) })), '/tiers'],
      [bad((c) => ({ ...c, tiers: [c.tiers[0], { ...c.tiers[1], id: 'base' }] })), '/tiers/1/id'],
      [bad((c) => ({ ...c, window: 'weekly' })), '/window'],
    ];
    for (const [payload, field] of cases) {
      const response = await putTiers(shop, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().code).toBe('validation_failed');
      expect(JSON.stringify(response.json().errors), JSON.stringify(payload)).toContain(field);
    }
    const current = await t.app.inject({ method: 'GET', url: '/v1/tiers', headers: shop.auth });
    expect(current.json().tiers).toEqual([]);
    expect((await memberOf(shop)).tier ?? null).toBeNull();
  });

  it('saves a valid configuration, answers it with an ETag and honours If-Match', async () => {
    const shop = await createShop(t.app);
    const saved = await putTiers(shop, TIERS);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual(TIERS);
    const read = await t.app.inject({ method: 'GET', url: '/v1/tiers', headers: shop.auth });
    expect(read.json()).toEqual(TIERS);
    expect(read.headers.etag).toBe(saved.headers.etag);
    const stale = await putTiers(shop, { ...TIERS, retainMonths: 3 }, { 'if-match': '"not-the-version"' });
    expect(stale.statusCode).toBe(412);
    expect((await putTiers(shop, { ...TIERS, retainMonths: 3 }, { 'if-match': read.headers.etag as string })).statusCode).toBe(200);
  });
});

describe('qualification over a calendar year (Europe/Bucharest)', () => {
  it('upgrades at maturity, applies the multiplier at award time, keeps the tier after a refund until the year closes', async () => {
    clock.set('2026-03-01T12:00:00Z');
    const shop = await createShop(t.app, { timezone: 'Europe/Bucharest' });
    expect((await putTiers(shop, TIERS)).statusCode).toBe(200);

    await complete(shop, 'o1', 10_000); // a new member: the locked path
    expect((await orderOf(shop, 'o1')).award.lines[0].tier).toEqual({ id: 'base', multiplier: '1' });
    let member = await memberOf(shop);
    expect(member.tier).toMatchObject({ id: 'base', retainUntil: null, qualifying: { total: 0 }, next: { id: 'silver', remaining: 150 } });
    expect(member.tier.qualifying.windowStart).toBe('2025-12-31T22:00:00.000Z');
    expect(member.tier.qualifying.windowEnd).toBe('2026-12-31T22:00:00.000Z');

    await matureAt(shop, '2026-03-15T12:00:00Z');
    expect((await memberOf(shop)).tier).toMatchObject({ id: 'base', qualifying: { total: 100 }, next: { remaining: 50 } });
    await complete(shop, 'o2', 10_000); // a known member's order: the lock-free path
    await matureAt(shop, '2026-03-29T12:00:00Z');
    member = await memberOf(shop);
    expect(member.tier).toMatchObject({
      id: 'silver', name: 'Silver', multiplier: 1.5, benefits: ['Free shipping'], since: '2026-03-29T12:00:00.000Z',
      retainUntil: '2026-12-31T22:00:00.000Z', qualifying: { total: 200 }, next: { id: 'gold', threshold: 400, remaining: 200 },
    });
    expect(await historyOf(shop)).toEqual([expect.objectContaining({ from: 'base', to: 'silver', reason: 'qualified' })]);
    expect(await tierEvents(shop)).toEqual([
      expect.objectContaining({ from: { id: 'base', name: 'Member' }, to: expect.objectContaining({ id: 'silver', multiplier: '1.5' }), direction: 'up', reason: 'qualified', next: { id: 'gold', name: 'Gold', remaining: 200 } }),
    ]);

    // Silver's 1.5× on the lock-free path; the snapshot records it.
    await complete(shop, 'o3', 10_000);
    const o3 = await orderOf(shop, 'o3');
    expect(o3.award.points).toBe(150);
    expect(o3.award.lines[0].tier).toEqual({ id: 'silver', multiplier: '1.5' });

    // A refund lowers the qualifying total below Silver's threshold; the tier stays until the window closes.
    clock.set('2026-04-10T12:00:00Z');
    await refund(shop, 'o2', 10_000);
    member = await memberOf(shop);
    expect(member.tier).toMatchObject({ id: 'silver', qualifying: { total: 100 }, next: { remaining: 300 } });
    expect(await job(shop, 'tiers', '2026-12-31T21:59:59Z')).toMatchObject({ reviewed: 0, downgraded: 0 });

    // 23:30 UTC on 31 December is 01:30 on 1 January in Bucharest: the year has closed there.
    expect(await job(shop, 'tiers', '2026-12-31T23:30:00Z', true)).toMatchObject({ reviewed: 1, downgraded: 1 });
    expect((await memberOf(shop)).tier.id).toBe('silver');
    expect(await job(shop, 'tiers', '2026-12-31T23:30:00Z')).toMatchObject({ reviewed: 1, downgraded: 1 });
    expect(await job(shop, 'tiers', '2026-12-31T23:30:00Z')).toMatchObject({ reviewed: 0, downgraded: 0 });
    clock.set('2027-01-05T12:00:00Z');
    member = await memberOf(shop);
    expect(member.tier).toMatchObject({ id: 'base', since: '2026-12-31T23:30:00.000Z', retainUntil: null });
    expect((await historyOf(shop)).map((h) => [h.from, h.to, h.reason])).toEqual([['silver', 'base', 'window_closed'], ['base', 'silver', 'qualified']]);
    expect((await tierEvents(shop)).at(-1)).toMatchObject({ direction: 'down', reason: 'window_closed', next: { id: 'silver', remaining: 150 } });

    // The e-mails take what the service raises: Silver's congratulations, then the kind tier-down.
    const plan = MAIL_PLANS['tier.changed']!;
    const mails = (await tierEvents(shop)).map((data) => ({ data: { customerId: 'c1', balance: { available: 0, pending: 0, held: 0 }, ...data } }) as unknown as DomainEvent);
    expect(mails.map((event) => templateOf(plan, event))).toEqual(['tierUp', 'tierDown']);
    expect(mails.map((event) => plan.figures(event, { redemption: null }))).toEqual([expect.anything(), expect.anything()]);

    // A refund after the tier changed takes back what the award's snapshot says, not today's multiplier.
    await refund(shop, 'o3', 10_000);
    expect((await orderOf(shop, 'o3')).reversed).toBe(150);
  });

  it('keeps a tier the closed year sustained, and reviews it again a year later', async () => {
    clock.set('2026-05-01T12:00:00Z');
    const shop = await createShop(t.app, { timezone: 'Europe/Bucharest' });
    expect((await putTiers(shop, TIERS)).statusCode).toBe(200);
    await complete(shop, 'k1', 20_000);
    await matureAt(shop, '2026-05-20T12:00:00Z');
    expect((await memberOf(shop)).tier.id).toBe('silver');
    expect(await job(shop, 'tiers', '2027-01-01T00:00:00Z')).toMatchObject({ reviewed: 1, downgraded: 0 });
    clock.set('2027-01-02T00:00:00Z');
    expect((await memberOf(shop)).tier).toMatchObject({ id: 'silver', retainUntil: '2027-12-31T22:00:00.000Z' });
    // 2027 earned nothing: down at the end of 2027.
    expect(await job(shop, 'tiers', '2028-01-01T00:00:00Z')).toMatchObject({ reviewed: 1, downgraded: 1 });
  });
});

describe('reviews, grace and step down', () => {
  it('waits retainMonths after the window closes, steps down one tier at a time, and two runs at once move a member once', async () => {
    clock.set('2026-02-01T12:00:00Z');
    const shop = await createShop(t.app);
    expect((await putTiers(shop, { ...TIERS, window: 'rolling12Months', retainMonths: 2, stepDown: true })).statusCode).toBe(200);
    await complete(shop, 's1', 50_000);
    await matureAt(shop, '2026-02-20T12:00:00Z');
    expect((await memberOf(shop)).tier).toMatchObject({ id: 'gold', retainUntil: '2027-04-20T12:00:00.000Z' });
    expect(await job(shop, 'tiers', '2027-04-20T11:59:59Z')).toMatchObject({ reviewed: 0 });
    const [a, b] = await Promise.all([job(shop, 'tiers', '2027-04-20T12:00:00Z'), job(shop, 'tiers', '2027-04-20T12:00:00Z', false, second)]);
    expect(a.downgraded + b.downgraded).toBe(1);
    clock.set('2027-04-21T00:00:00Z');
    // One step: Gold → Silver, though nothing qualifies any more.
    expect((await memberOf(shop)).tier).toMatchObject({ id: 'silver', retainUntil: '2028-06-20T12:00:00.000Z' });
    expect((await historyOf(shop)).map((h) => [h.from, h.to, h.reason])).toEqual([['gold', 'silver', 'window_closed'], ['base', 'gold', 'qualified']]);
    expect(await job(shop, 'tiers', '2028-06-20T12:00:00Z')).toMatchObject({ downgraded: 1 });
    expect((await memberOf(shop)).tier.id).toBe('base');
  });

  it('counts spend net of refunds on the spend basis, and a lifetime window never moves a member down', async () => {
    clock.set('2026-06-01T12:00:00Z');
    const shop = await createShop(t.app);
    const spend = { ...TIERS, basis: 'spend', window: 'lifetime', tiers: [TIERS.tiers[0], { ...TIERS.tiers[2], threshold: 50_000 }] };
    expect((await putTiers(shop, spend)).statusCode).toBe(200);
    await send(shop, 'order.completed', { order: order('p1', { lines: [{ unitPrice: 20_000, quantity: 3 }] }) });
    await matureAt(shop, '2026-06-20T12:00:00Z');
    expect((await memberOf(shop)).tier).toMatchObject({ id: 'gold', retainUntil: null, qualifying: { basis: 'spend', total: 60_000 } });
    clock.set('2026-07-01T12:00:00Z');
    await send(shop, 'order.refunded', {
      order: order('p1', { lines: [{ unitPrice: 20_000, quantity: 3 }] }),
      refund: { id: 'r-p1', amount: 20_000, lines: [{ lineId: '1', quantity: 1, amount: 20_000 }] },
    });
    expect((await memberOf(shop)).tier).toMatchObject({ id: 'gold', qualifying: { total: 40_000 } });
    expect(await job(shop, 'tiers', '2040-01-01T00:00:00Z')).toMatchObject({ reviewed: 0, downgraded: 0 });
    expect((await memberOf(shop)).tier.id).toBe('gold');
  });
});

describe('changing the tiers', () => {
  it('re-evaluates members through the tiers job: upgrades at once, removed tiers to the nearest below, nobody else down', async () => {
    clock.set('2026-08-01T12:00:00Z');
    const shop = await createShop(t.app);
    for (const [id, amount] of [['a', 50_000], ['b', 20_000], ['c', 1_000]] as const) await complete(shop, `x-${id}`, amount, id);
    await matureAt(shop, '2026-08-20T12:00:00Z');
    expect((await memberOf(shop, 'a')).tier).toBeNull();
    expect((await putTiers(shop, TIERS)).statusCode).toBe(200);
    // Before the job: everybody stands on the lowest tier, and the view says what the next one takes.
    expect((await memberOf(shop, 'a')).tier).toMatchObject({ id: 'base', next: { id: 'silver', remaining: 0 } });
    expect(await job(shop, 'tiers', '2026-08-20T12:00:00Z', true)).toMatchObject({ upgraded: 2, reevaluated: 3 });
    expect(await job(shop, 'tiers', '2026-08-20T12:00:00Z')).toMatchObject({ upgraded: 2, reevaluated: 3 });
    expect(await job(shop, 'tiers', '2026-08-20T12:00:00Z')).toMatchObject({ upgraded: 0, reevaluated: 0 });
    expect([(await memberOf(shop, 'a')).tier.id, (await memberOf(shop, 'b')).tier.id, (await memberOf(shop, 'c')).tier.id]).toEqual(['gold', 'silver', 'base']);
    expect((await historyOf(shop, 'a'))[0]).toMatchObject({ reason: 'config_changed' });

    // Gold's threshold rises out of a's reach and Silver goes away: a keeps Gold, b goes to the tier below Silver.
    const next = { ...TIERS, tiers: [TIERS.tiers[0], { ...TIERS.tiers[2], threshold: 900 }] };
    expect((await putTiers(shop, next)).statusCode).toBe(200);
    expect(await job(shop, 'tiers', '2026-08-21T12:00:00Z')).toMatchObject({ downgraded: 1, reevaluated: 3 });
    expect([(await memberOf(shop, 'a')).tier.id, (await memberOf(shop, 'b')).tier.id]).toEqual(['gold', 'base']);
    expect((await historyOf(shop, 'b'))[0]).toMatchObject({ from: 'silver', to: 'base', reason: 'config_changed' });
  });
});

describe('a tier set by hand', () => {
  it('is recorded as manual, holds until `until`, and refuses unknown tiers and members', async () => {
    clock.set('2026-09-01T12:00:00Z');
    const shop = await createShop(t.app);
    expect((await putTiers(shop, TIERS)).statusCode).toBe(200);
    await complete(shop, 'm1', 1_000);
    const set = (body: object, id = 'c1') => t.app.inject({ method: 'PUT', url: `/v1/members/${id}/tier`, headers: shop.auth, payload: body });
    expect((await set({ tierId: 'platinum', reason: 'VIP' })).statusCode).toBe(404);
    expect((await set({ tierId: 'gold', reason: 'VIP' }, 'nobody')).statusCode).toBe(404);
    expect((await set({ tierId: 'gold', reason: 'VIP', until: '2026-01-01T00:00:00Z' })).statusCode).toBe(400);
    expect((await set({ tierId: 'gold' })).statusCode).toBe(400);
    const response = await set({ tierId: 'gold', reason: 'Our best customer', until: '2028-06-01T00:00:00Z' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().tier).toMatchObject({ id: 'gold', heldUntil: '2028-06-01T00:00:00.000Z', retainUntil: '2028-06-01T00:00:00.000Z' });
    expect((await historyOf(shop))[0]).toMatchObject({ from: 'base', to: 'gold', reason: 'manual', note: 'Our best customer' });
    expect(await job(shop, 'tiers', '2028-05-31T00:00:00Z')).toMatchObject({ reviewed: 0 });
    expect(await job(shop, 'tiers', '2028-06-01T00:00:00Z')).toMatchObject({ reviewed: 1, downgraded: 1 });
    // The same tier again changes no history and raises no event.
    const events = (await tierEvents(shop)).length;
    expect((await set({ tierId: 'base', reason: 'again' })).statusCode).toBe(200);
    expect(await tierEvents(shop)).toHaveLength(events);
  });
});

describe('rules with a tiers condition (D12)', () => {
  it('match the members of those tiers only, on top of the tier multiplier', async () => {
    clock.set('2026-10-01T12:00:00Z');
    const shop = await createShop(t.app);
    expect((await putTiers(shop, TIERS)).statusCode).toBe(200);
    const rule = await t.app.inject({
      method: 'POST', url: '/v1/rules', headers: shop.auth,
      payload: { name: 'Gold weekend', active: true, conditions: { tiers: ['gold'] }, effect: { multiplier: 3, per: 'line' }, stackable: false },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    await complete(shop, 'g1', 10_000, 'vip');
    await complete(shop, 'n1', 10_000, 'regular');
    const set = await t.app.inject({ method: 'PUT', url: '/v1/members/vip/tier', headers: shop.auth, payload: { tierId: 'gold', reason: 'VIP' } });
    expect(set.statusCode, set.body).toBe(200);
    await complete(shop, 'g2', 10_000, 'vip');
    await complete(shop, 'n2', 10_000, 'regular');
    expect([(await orderOf(shop, 'g1')).award.points, (await orderOf(shop, 'g2')).award.points]).toEqual([100, 600]);
    expect([(await orderOf(shop, 'n1')).award.points, (await orderOf(shop, 'n2')).award.points]).toEqual([100, 100]);
    expect((await orderOf(shop, 'g2')).award.lines[0]).toMatchObject({ multiplier: '6', tier: { id: 'gold', multiplier: '2' } });
  });
});

describe('two tiers runs at once', () => {
  it('move each member once: one history row and one event per member, counted by the run that moved it', async () => {
    const shop = await createShop(t.app);
    expect((await putTiers(shop, TIERS)).statusCode).toBe(200);
    await job(shop, 'tiers', '2026-01-01T00:00:00Z');
    const members = 400;
    await t.container.database.pool.query(
      `INSERT INTO members (shop_id, id, customer_id, tier_id, tier_since, tier_review_at, created_at, updated_at)
       SELECT $1, 'mem_r' || m, 'r' || m, 'gold', '2026-02-01', '2027-01-01', '2026-02-01', '2026-02-01' FROM generate_series(1, $2) m`,
      [shop.id, members],
    );
    const runs = await Promise.all([job(shop, 'tiers', '2027-01-01T00:00:00Z'), job(shop, 'tiers', '2027-01-01T00:00:00Z', false, second)]);
    expect(runs[0].downgraded + runs[1].downgraded).toBe(members);
    const rows = await t.container.database.pool.query(`SELECT count(*)::int AS n FROM tier_history WHERE shop_id = $1`, [shop.id]);
    expect(rows.rows[0].n).toBe(members);
    expect(await tierEvents(shop)).toHaveLength(members);
  });
});

describe('a refund the balance cannot cover', () => {
  it('takes the whole award out of the qualifying total, the written-off part too', async () => {
    clock.set('2026-05-01T12:00:00Z');
    const shop = await createShop(t.app);
    expect((await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { negativeBalance: 'writeoff' } })).statusCode).toBe(200);
    expect((await putTiers(shop, TIERS)).statusCode).toBe(200);
    await complete(shop, 'w1', 20_000);
    await matureAt(shop, '2026-05-20T12:00:00Z');
    expect((await memberOf(shop)).tier).toMatchObject({ id: 'silver', qualifying: { total: 200 } });
    const spent = await t.app.inject({ method: 'POST', url: '/v1/members/c1/adjustments', headers: shop.auth, payload: { points: -150, reason: 'spent elsewhere' } });
    expect(spent.statusCode, spent.body).toBe(201);
    await refund(shop, 'w1', 20_000);
    const member = await memberOf(shop);
    expect(member.balance.available).toBe(0);
    expect(member.tier).toMatchObject({ id: 'silver', qualifying: { total: 0 } });
  });
});

describe('turning tiers off', () => {
  it('leaves members without a tier and multiplier, and the job with nothing owed', async () => {
    clock.set('2026-05-01T12:00:00Z');
    const shop = await createShop(t.app);
    expect((await putTiers(shop, TIERS)).statusCode).toBe(200);
    await complete(shop, 'f1', 20_000);
    await matureAt(shop, '2026-05-20T12:00:00Z');
    expect((await memberOf(shop)).tier.id).toBe('silver');
    expect((await putTiers(shop, { ...TIERS, tiers: [] })).statusCode).toBe(200);
    expect((await memberOf(shop)).tier).toBeNull();
    await job(shop, 'tiers', '2026-05-20T12:00:00Z');
    const owed = await t.container.database.pool.query(`SELECT tiers_changed_at FROM programs WHERE shop_id = $1`, [shop.id]);
    expect(owed.rows[0].tiers_changed_at).toBeNull();
    await complete(shop, 'f2', 10_000);
    expect((await orderOf(shop, 'f2')).award.points).toBe(100);
    expect((await orderOf(shop, 'f2')).award.lines[0].tier).toBeUndefined();
  });
});

describe('erasing a member (D19)', () => {
  it("blanks the operator's notes on its tier history and keeps the changes", async () => {
    clock.set('2026-09-01T12:00:00Z');
    const shop = await createShop(t.app);
    expect((await putTiers(shop, TIERS)).statusCode).toBe(200);
    await complete(shop, 'e1', 1_000, 'anna');
    const set = await t.app.inject({ method: 'PUT', url: '/v1/members/anna/tier', headers: shop.auth, payload: { tierId: 'gold', reason: 'Anna Nowak, our neighbour' } });
    expect(set.statusCode, set.body).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/members/anna', headers: shop.auth })).statusCode).toBe(204);
    const rows = await t.container.database.pool.query(`SELECT to_tier, reason, note FROM tier_history WHERE shop_id = $1`, [shop.id]);
    expect(rows.rows).toEqual([{ to_tier: 'gold', reason: 'manual', note: null }]);
  });
});
