import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { someoneWaitsForALock } from '../helpers/locks.ts';
import { balanceOf, putMember } from '../helpers/members.ts';

// D11 birthdays: the `birthdays` job gives `bonuses.birthday` to members whose birthday is the shop's calendar day.
const clock = fixedClock('2026-05-17T12:00:00Z');
let t: TestApp;
let second: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
  second = await buildTestApp({ clock, databaseUrl: t.config.databaseUrl });
});
afterAll(async () => {
  await second.close();
  await t.close();
});

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const run = async (shop: TestShop, asOf: string, dryRun = false, app = t) => {
  const response = await app.app.inject({ method: 'POST', url: `/v1/admin/shops/${shop.id}/jobs/birthdays`, headers: admin, payload: { asOf, dryRun } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().counts as { awarded: number; points: number };
};
const given = async (shop: TestShop) =>
  (await t.container.database.pool.query(
    `SELECT m.customer_id, b.reference FROM bonuses b JOIN members m ON m.shop_id = b.shop_id AND m.id = b.member_id
      WHERE b.shop_id = $1 AND b.kind = 'birthday' ORDER BY b.reference, m.customer_id`, [shop.id])).rows.map((r) => `${r.customer_id}@${r.reference}`);

async function birthdayShop(timezone = 'UTC', points = 50): Promise<TestShop> {
  const shop = await createShop(t.app, { timezone });
  const response = await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { bonuses: { birthday: points } } });
  expect(response.statusCode, response.body).toBe(200);
  return shop;
}

describe('birthdays job (D11)', () => {
  it('gives the bonus once a year: a second run on the day gives nothing; a dry run counts exactly', async () => {
    const shop = await birthdayShop();
    await putMember(t.app, shop, 'may17', { birthday: '1990-05-17' });
    await putMember(t.app, shop, 'may17b', { birthday: '2001-05-17' });
    await putMember(t.app, shop, 'may18', { birthday: '1990-05-18' });
    await putMember(t.app, shop, 'none');
    await putMember(t.app, shop, 'erased', { birthday: '1985-05-17' });
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/members/erased', headers: shop.auth })).statusCode).toBe(204);

    expect(await run(shop, '2026-05-17T08:00:00Z', true)).toEqual({ awarded: 2, points: 100 });
    expect(await given(shop)).toEqual([]);
    expect(await run(shop, '2026-05-17T08:00:00Z')).toEqual({ awarded: 2, points: 100 });
    expect(await run(shop, '2026-05-17T23:00:00Z')).toEqual({ awarded: 0, points: 0 });
    expect(await run(shop, '2026-05-17T23:00:00Z', true)).toEqual({ awarded: 0, points: 0 });
    expect(await balanceOf(t.app, shop, 'may17')).toEqual({ available: 50, pending: 0, held: 0 });
    expect(await balanceOf(t.app, shop, 'may18')).toEqual({ available: 0, pending: 0, held: 0 });
    expect(await run(shop, '2026-05-18T00:00:00Z')).toEqual({ awarded: 1, points: 50 });
    // Next year, again.
    expect(await run(shop, '2027-05-17T00:00:00Z')).toEqual({ awarded: 2, points: 100 });
    expect(await given(shop)).toEqual(['may17@2026', 'may17b@2026', 'may18@2026', 'may17@2027', 'may17b@2027']);
    const activity = (await t.app.inject({ method: 'GET', url: '/v1/members/may17/activity', headers: shop.auth })).json().data;
    expect(activity[1]).toMatchObject({ kind: 'bonus', bonusKind: 'birthday', reference: '2026', points: 50, actor: 'birthdays' });
    const check = await t.app.inject({ method: 'GET', url: '/v1/ledger/check', headers: shop.auth });
    expect(check.json()).toMatchObject({ ok: true });
  });

  it('29 February birthdays: on 28 February in a year without one, on the 29th in a leap year', async () => {
    const shop = await birthdayShop();
    await putMember(t.app, shop, 'leap', { birthday: '1992-02-29' });
    await putMember(t.app, shop, 'feb28', { birthday: '1990-02-28' });
    await putMember(t.app, shop, 'mar1', { birthday: '1990-03-01' });
    expect(await run(shop, '2027-02-28T12:00:00Z', true)).toEqual({ awarded: 2, points: 100 });
    expect(await run(shop, '2027-02-28T12:00:00Z')).toEqual({ awarded: 2, points: 100 });
    expect(await run(shop, '2027-03-01T12:00:00Z')).toEqual({ awarded: 1, points: 50 });
    expect(await run(shop, '2028-02-28T12:00:00Z')).toEqual({ awarded: 1, points: 50 });
    expect(await run(shop, '2028-02-29T12:00:00Z')).toEqual({ awarded: 1, points: 50 });
    expect(await given(shop)).toEqual(['feb28@2027', 'leap@2027', 'mar1@2027', 'feb28@2028', 'leap@2028']);
  });

  it('goes by the shop\'s time zone: in Europe/Bucharest 17 May begins at 21:00 UTC on the 16th', async () => {
    const shop = await birthdayShop('Europe/Bucharest');
    await putMember(t.app, shop, 'may17', { birthday: '1990-05-17' });
    await putMember(t.app, shop, 'may16', { birthday: '1990-05-16' });
    // 23:59:59 on 16 May in Bucharest (UTC+3): may16's day, not may17's.
    expect(await run(shop, '2026-05-16T20:59:59Z', true)).toEqual({ awarded: 1, points: 50 });
    // 00:00 on 17 May in Bucharest, still the 16th in UTC: may17's day; may16's is over.
    expect(await run(shop, '2026-05-16T21:00:00Z', true)).toEqual({ awarded: 1, points: 50 });
    expect(await run(shop, '2026-05-16T21:00:00Z')).toEqual({ awarded: 1, points: 50 });
    expect(await given(shop)).toEqual(['may17@2026']);
    // 23:30 on 17 May in Bucharest is 20:30 UTC; at 21:00 UTC it is the 18th there.
    expect(await run(shop, '2026-05-17T20:30:00Z')).toEqual({ awarded: 0, points: 0 });
    expect(await run(shop, '2026-05-17T21:00:00Z', true)).toEqual({ awarded: 0, points: 0 });
    // In winter (UTC+2) the day turns at 22:00 UTC; the year is Bucharest's too.
    const winter = await birthdayShop('Europe/Bucharest');
    await putMember(t.app, winter, 'jan1', { birthday: '1990-01-01' });
    expect(await run(winter, '2026-12-31T21:59:59Z', true)).toEqual({ awarded: 0, points: 0 });
    expect(await run(winter, '2026-12-31T22:00:00Z')).toEqual({ awarded: 1, points: 50 });
    expect(await given(winter)).toEqual(['jan1@2027']);
  });

  it('runs at once (in two processes) give it once; more members than one chunk', { timeout: 60_000 }, async () => {
    const shop = await birthdayShop();
    for (let from = 0; from < 60; from += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, k) => putMember(t.app, shop, `m${from + k}`, { birthday: '1990-05-17' })));
    }
    const counts = await Promise.all([run(shop, '2026-05-17T12:00:00Z'), run(shop, '2026-05-17T12:00:00Z', false, second), run(shop, '2026-05-17T12:00:00Z')]);
    expect(counts.reduce((sum, c) => sum + c.awarded, 0)).toBe(60);
    expect(await given(shop)).toHaveLength(60);
    const chunked = await t.container.bonuses.birthdaysDue(shop.id, new Date('2027-05-17T12:00:00Z'), false, { chunk: 7, maxChunks: 100 });
    expect(chunked).toEqual({ awarded: 60, points: 3000 });
  });

  it('looks again under the member\'s lock: a birthday changed (or a member erased) since the run read it gets nothing', async () => {
    const shop = await birthdayShop();
    await putMember(t.app, shop, 'moved', { birthday: '1990-05-17' });
    await putMember(t.app, shop, 'gone', { birthday: '1990-05-17' });
    const { pool } = t.container.database;
    const changer = await pool.connect();
    try {
      await changer.query('BEGIN');
      await changer.query(`UPDATE members SET birthday = '1990-06-01' WHERE shop_id = $1 AND customer_id = 'moved'`, [shop.id]);
      await changer.query(`UPDATE members SET erased_at = now() WHERE shop_id = $1 AND customer_id = 'gone'`, [shop.id]);
      // The run has read both as born today, and waits for the first one's row.
      const running = run(shop, '2026-05-17T12:00:00Z');
      await someoneWaitsForALock(pool);
      await changer.query('COMMIT');
      expect(await running).toEqual({ awarded: 0, points: 0 });
    } finally {
      changer.release();
    }
    expect(await given(shop)).toEqual([]);
  });

  it('gives nothing while the program\'s birthday is 0; the worker\'s run covers the shops that give it', async () => {
    const off = await createShop(t.app);
    await putMember(t.app, off, 'c1', { birthday: '1990-05-17' });
    expect(await run(off, '2026-05-17T12:00:00Z', true)).toEqual({ awarded: 0, points: 0 });
    expect(await run(off, '2026-05-17T12:00:00Z')).toEqual({ awarded: 0, points: 0 });
    expect(await given(off)).toEqual([]);
    const on = await birthdayShop();
    await putMember(t.app, on, 'c1', { birthday: '1990-05-17' });
    const all = await t.container.bonuses.birthdaysDue(null, new Date('2026-05-17T12:00:00Z'));
    expect(all.awarded).toBeGreaterThanOrEqual(1);
    expect(await given(on)).toEqual(['c1@2026']);
    expect(await given(off)).toEqual([]);
  });

  it('a shop runs it for itself now', async () => {
    const shop = await birthdayShop();
    await putMember(t.app, shop, 'c1', { birthday: '1990-05-17' });
    const response = await t.app.inject({ method: 'POST', url: '/v1/jobs/birthdays', headers: shop.auth, payload: { dryRun: true } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ job: 'birthdays', dryRun: true, counts: { awarded: 1, points: 50 } });
  });
});
