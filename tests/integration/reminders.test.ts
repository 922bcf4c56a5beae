import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../services/db/tx.ts';
import { claimBatch, deleteRelayed, outboxId } from '../../services/core/outbox/outbox-repo.ts';
import type { DomainEvent } from '../../services/core/outbox/outbox-types.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { adjust, putMember } from '../helpers/members.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

// D8: the `remind` job over a timeline of asOf values; its points.expiring events go to the mail handler (D17) the
// way the relay will hand them on.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
let second: TestApp;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  t = await buildTestApp({ clock, env: { SMTP_URL: sink.url, DATABASE_POOL_MAX: '20' } });
  second = await buildTestApp({ clock, databaseUrl: t.config.databaseUrl });
});
afterAll(async () => {
  await second.close();
  await t.close();
  await sink.close();
});

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
async function job(shop: TestShop, name: string, asOf: string, dryRun = false, app = t) {
  const response = await app.app.inject({ method: 'POST', url: `/v1/admin/shops/${shop.id}/jobs/${name}`, headers: admin, payload: { asOf, dryRun } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().counts as Record<string, number>;
}
const remind = (shop: TestShop, asOf: string, dryRun = false, app = t) => job(shop, 'remind', asOf, dryRun, app);

/** A shop under `expiry` (reminders [30, 7] by default) in `timezone`. */
async function shopWith(expiry: Record<string, unknown>, timezone = 'UTC'): Promise<TestShop> {
  const shop = await createShop(t.app, { timezone });
  const saved = await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { expiry } });
  expect(saved.statusCode, saved.body).toBe(200);
  return shop;
}
async function credit(shop: TestShop, customerId: string, points: number, expiresAt?: string) {
  const response = await adjust(t.app, shop, customerId, { points, ...(expiresAt ? { expiresAt } : {}) });
  expect(response.statusCode, response.body).toBe(201);
}

/** The relay's part, for the test: claims the outbox rows and hands the shop's points.expiring events on. */
async function relay(shop: TestShop): Promise<DomainEvent[]> {
  const events = await withTx(t.container.database.db, async (tx) => {
    const batch = await claimBatch(tx, 1_000);
    await deleteRelayed(tx, batch.map(outboxId));
    return batch;
  });
  const mine = events.filter((e) => e.shopId === shop.id && e.type === 'points.expiring');
  for (const event of mine) await t.container.mail.handleEvent(event);
  return mine;
}
const expiring = (events: DomainEvent[]) => events.map((e) => ({ customerId: e.data.customerId, ...pick(e.data) }));
const pick = ({ points, expiresAt, days }: Record<string, unknown>) => ({ points, expiresAt, days });

describe('expiry reminders (D8)', () => {
  it('dated lots: 30 days before, then 7 days before, each once, for what remains of each lot', async () => {
    const shop = await shopWith({ policy: 'afterMonths', months: 6 });
    await putMember(t.app, shop, 'r1', { locale: 'en' });
    await credit(shop, 'r1', 100, '2027-03-10T10:00:00Z');
    await credit(shop, 'r1', 50, '2027-04-20T10:00:00Z');
    expect((await adjust(t.app, shop, 'r1', { points: -30 })).statusCode).toBe(201);

    expect(await remind(shop, '2027-02-07T23:59:59Z')).toEqual({ reminded: 0, points: 0 });
    expect(await remind(shop, '2027-02-08T00:00:00Z', true)).toEqual({ reminded: 1, points: 70 });
    expect(await relay(shop)).toEqual([]);
    expect(await remind(shop, '2027-02-08T00:00:00Z')).toEqual({ reminded: 1, points: 70 });
    expect(expiring(await relay(shop))).toEqual([{ customerId: 'r1', points: 70, expiresAt: '2027-03-10T10:00:00.000Z', days: 30 }]);
    expect(sink.to('r1@example.com').map((m) => m.subject)).toEqual(['70 points will expire in 30 days']);
    expect(sink.to('r1@example.com')[0]!.text).toContain('will expire on March 10, 2027');

    for (const asOf of ['2027-02-08T00:00:00Z', '2027-02-20T00:00:00Z', '2027-03-02T23:00:00Z']) expect(await remind(shop, asOf)).toEqual({ reminded: 0, points: 0 });
    expect(await remind(shop, '2027-03-03T00:00:00Z')).toEqual({ reminded: 1, points: 70 });
    expect(expiring(await relay(shop))).toEqual([{ customerId: 'r1', points: 70, expiresAt: '2027-03-10T10:00:00.000Z', days: 7 }]);
    for (const asOf of ['2027-03-05T00:00:00Z', '2027-03-10T09:00:00Z', '2027-03-20T23:00:00Z']) expect(await remind(shop, asOf, true)).toEqual({ reminded: 0, points: 0 });
    expect(await remind(shop, '2027-03-21T00:00:00Z')).toEqual({ reminded: 1, points: 50 });
    expect(await remind(shop, '2027-04-13T00:00:00Z')).toEqual({ reminded: 1, points: 50 });
    expect(await remind(shop, '2027-04-19T00:00:00Z')).toEqual({ reminded: 0, points: 0 });
    await relay(shop);
    expect(sink.to('r1@example.com').map((m) => m.subject)).toEqual([
      '70 points will expire in 30 days',
      '70 points will expire in 7 days',
      '50 points will expire in 30 days',
      '50 points will expire in 7 days',
    ]);
  });

  it('a day first seen inside both windows gets only the smallest one\'s reminder', async () => {
    const shop = await shopWith({ policy: 'endOfPeriod', months: 1, period: 'month' });
    await putMember(t.app, shop, 'late');
    await credit(shop, 'late', 40, '2027-01-01T00:00:00Z');
    expect(await remind(shop, '2026-12-27T08:00:00Z')).toEqual({ reminded: 1, points: 40 });
    expect(expiring(await relay(shop))).toEqual([{ customerId: 'late', points: 40, expiresAt: '2027-01-01T00:00:00.000Z', days: 5 }]);
    for (const asOf of ['2026-12-27T09:00:00Z', '2026-12-31T23:59:00Z', '2027-01-01T00:00:00Z']) expect(await remind(shop, asOf)).toEqual({ reminded: 0, points: 0 });
    const { rows } = await t.container.database.pool.query('SELECT expires_on::text, days FROM expiry_reminders WHERE shop_id = $1', [shop.id]);
    expect(rows).toEqual([{ expires_on: '2027-01-01', days: 7 }]);
  });

  it('days are the shop\'s calendar days, in its time zone', async () => {
    const auckland = await shopWith({ policy: 'afterMonths', months: 6 }, 'Pacific/Auckland');
    const utc = await shopWith({ policy: 'afterMonths', months: 6 });
    for (const shop of [auckland, utc]) {
      await putMember(t.app, shop, 'tz');
      await credit(shop, 'tz', 10, '2027-03-09T10:00:00Z'); // March 9, 23:00 in Auckland
    }
    // 11:30 UTC on February 6 is already February 7 in Auckland: 30 days before there, 31 in UTC.
    expect(await remind(auckland, '2027-02-06T11:30:00Z')).toEqual({ reminded: 1, points: 10 });
    expect(await remind(utc, '2027-02-06T11:30:00Z')).toEqual({ reminded: 0, points: 0 });
    expect(await remind(utc, '2027-02-07T00:00:00Z')).toEqual({ reminded: 1, points: 10 });
  });

  it('inactivity: the whole balance, on the day the sweep will expire it', async () => {
    const shop = await shopWith({ policy: 'inactivity', months: 12 });
    await putMember(t.app, shop, 'idle', { locale: 'ro' });
    await credit(shop, 'idle', 80);
    await credit(shop, 'idle', 20);
    expect(await remind(shop, '2027-10-20T23:59:59Z')).toEqual({ reminded: 0, points: 0 });
    expect(await remind(shop, '2027-10-21T00:00:00Z')).toEqual({ reminded: 1, points: 100 });
    expect(expiring(await relay(shop))).toEqual([{ customerId: 'idle', points: 100, expiresAt: '2027-11-20T12:00:00.000Z', days: 30 }]);
    expect(sink.to('idle@example.com').map((m) => m.subject)).toEqual(['Puncte care expiră în 30 de zile: 100 de puncte']);
    expect(await remind(shop, '2027-11-13T00:00:00Z')).toEqual({ reminded: 1, points: 100 });
    expect(await remind(shop, '2027-11-14T00:00:00Z')).toEqual({ reminded: 0, points: 0 });
    // The day and instant the reminder named are the sweep's.
    expect(await job(shop, 'expire', '2027-11-20T11:59:59.999Z')).toEqual({ expired: 0, points: 0 });
    expect(await job(shop, 'expire', '2027-11-20T12:00:00Z')).toEqual({ expired: 2, points: 100 });
    expect(await remind(shop, '2027-11-20T12:00:00Z')).toEqual({ reminded: 0, points: 0 });
  });

  it('no reminder for a member with nothing available (all on hold, or in debt), nor under policy none', async () => {
    const shop = await shopWith({ policy: 'afterMonths', months: 6 });
    await putMember(t.app, shop, 'held');
    await credit(shop, 'held', 100, '2027-03-10T10:00:00Z');
    const hold = await t.app.inject({ method: 'POST', url: '/v1/redemptions', headers: shop.auth, payload: { customerId: 'held', points: 100 } });
    expect(hold.statusCode, hold.body).toBe(201);
    expect((await adjust(t.app, shop, 'held', { points: -50, allowNegative: true })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: '/v1/members/held', headers: shop.auth })).json().balance).toEqual({ available: -50, pending: 0, held: 100 });
    await putMember(t.app, shop, 'debt');
    await credit(shop, 'debt', 100, '2027-03-10T10:00:00Z');
    await credit(shop, 'debt', 100);
    expect((await adjust(t.app, shop, 'debt', { points: -250, allowNegative: true })).statusCode).toBe(201);
    expect(await remind(shop, '2027-03-03T00:00:00Z')).toEqual({ reminded: 0, points: 0 });

    const none = await shopWith({ policy: 'none', months: 12 });
    await putMember(t.app, none, 'dated');
    await credit(none, 'dated', 100, '2027-03-10T10:00:00Z');
    expect(await remind(none, '2027-03-03T00:00:00Z')).toEqual({ reminded: 0, points: 0 });
    const off = await shopWith({ policy: 'afterMonths', months: 6 });
    expect((await t.app.inject({ method: 'PUT', url: '/v1/program', headers: off.auth, payload: { remindDaysBefore: [] } })).statusCode).toBe(200);
    await putMember(t.app, off, 'quiet');
    await credit(off, 'quiet', 100, '2027-03-10T10:00:00Z');
    expect(await remind(off, '2027-03-03T00:00:00Z')).toEqual({ reminded: 0, points: 0 });
  });

  it('two runs at once, in small chunks, and runs again: exactly one event per member, day and reminder', async () => {
    const shop = await shopWith({ policy: 'afterMonths', months: 6 });
    for (let i = 0; i < 7; i++) {
      await putMember(t.app, shop, `many-${i}`);
      await credit(shop, `many-${i}`, 10 + i, '2027-03-10T10:00:00Z');
      await credit(shop, `many-${i}`, 5, '2027-03-11T10:00:00Z');
    }
    const limits = { chunk: 2, maxChunks: 100 };
    const run = (app: TestApp) => app.container.reminders.remindDue({ shopId: shop.id, asOf: new Date('2027-03-04T00:00:00Z'), dryRun: false }, limits);
    const [a, b] = await Promise.all([run(t), run(second)]);
    expect(a.reminded + b.reminded).toBe(14);
    expect(a.points + b.points).toBe(7 * 10 + 21 + 7 * 5);
    expect(await run(t)).toEqual({ reminded: 0, points: 0 });
    expect(await remind(shop, '2027-03-04T00:00:00Z', false, second)).toEqual({ reminded: 0, points: 0 });
    const events = await relay(shop);
    expect(events).toHaveLength(14);
    expect(new Set(events.map((e) => `${e.memberId} ${e.data.expiresAt} ${e.data.days}`)).size).toBe(14);
    expect(sink.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.text.startsWith('many-'))).toHaveLength(14);
  });
});
