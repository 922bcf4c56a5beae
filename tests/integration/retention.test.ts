import { afterAll, beforeAll, expect, it } from 'vitest';
import { findJob } from '../../services/core/jobs/job-registry.ts';
import { buildTestApp, createShop, type TestApp } from '../helpers/app.ts';

// What the outbound side keeps is bounded: settled e-mails 90 days, settled webhook deliveries 30 days, expiry
// reminders 30 days after their day. Pending ones stay whatever their age: they are still to be tried.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const asOf = new Date('2027-06-30T12:00:00Z');
const daysBefore = (days: number) => new Date(asOf.getTime() - days * 86_400_000);

it('purge-outbound-history deletes settled e-mails and deliveries past their retention and reminders of days gone, nothing else', async () => {
  const [a, b] = [await createShop(t.app), await createShop(t.app)];
  const pool = t.container.database.pool;
  const message = (shop: string, id: string, status: string, days: number) =>
    pool.query(`INSERT INTO mail_messages (shop_id, id, member_id, template, dedup_key, data, status, created_at)
      VALUES ($1, $2, 'mem_1', 'pointsMatured', $2, '{}', $3, $4)`, [shop, id, status, daysBefore(days)]);
  const delivery = (shop: string, id: string, status: string, days: number) =>
    pool.query(`INSERT INTO webhook_deliveries (shop_id, id, event_id, event_type, body, status, created_at)
      VALUES ($1, $2, $2, 'points.earned', '{}', $3, $4)`, [shop, id, status, daysBefore(days)]);
  const reminder = (shop: string, day: string) =>
    pool.query(`INSERT INTO expiry_reminders (shop_id, member_id, expires_on, days, created_at) VALUES ($1, 'mem_1', $2, 7, $3)`, [shop, day, asOf]);
  for (const shop of [a.id, b.id]) {
    for (const [id, status, days] of [['m_old_sent', 'sent', 91], ['m_old_failed', 'failed', 200], ['m_old_skipped', 'skipped', 95], ['m_old_pending', 'pending', 300], ['m_recent', 'sent', 89]] as const) {
      await message(shop, id, status, days);
    }
    for (const [id, status, days] of [['d_old_delivered', 'delivered', 31], ['d_old_failed', 'failed', 45], ['d_old_pending', 'pending', 60], ['d_recent', 'delivered', 29]] as const) {
      await delivery(shop, id, status, days);
    }
    for (const day of ['2027-05-30', '2027-05-31', '2027-06-01', '2027-07-15']) await reminder(shop, day);
  }

  const run = { shopId: null, asOf, dryRun: false };
  expect(await findJob('purge-outbound-history')!.run(t.container, run)).toEqual({ messages: 6, deliveries: 4, reminders: 2 });
  expect(await findJob('purge-outbound-history')!.run(t.container, run)).toEqual({ messages: 0, deliveries: 0, reminders: 0 });
  expect(await findJob('purge-outbound-history')!.run(t.container, { ...run, dryRun: true })).toEqual({ messages: 0, deliveries: 0, reminders: 0 });

  for (const shop of [a.id, b.id]) {
    const ids = async (table: string, column = 'id') =>
      (await pool.query(`SELECT ${column}::text AS id FROM ${table} WHERE shop_id = $1 ORDER BY 1`, [shop])).rows.map((r) => r.id);
    expect(await ids('mail_messages')).toEqual(['m_old_pending', 'm_recent']);
    expect(await ids('webhook_deliveries')).toEqual(['d_old_pending', 'd_recent']);
    expect(await ids('expiry_reminders', 'expires_on')).toEqual(['2027-05-31', '2027-06-01', '2027-07-15']);
  }
});
