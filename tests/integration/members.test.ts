import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { adjust, balanceOf, putMember } from '../helpers/members.ts';

let t: TestApp;
let shop: TestShop;
beforeAll(async () => {
  t = await buildTestApp();
  shop = await createShop(t.app);
});
afterAll(() => t.close());

describe('PUT /v1/members/{customerId}', () => {
  it('creates a member (201), then replaces its profile (200) without touching balances', async () => {
    const created = await t.app.inject({
      method: 'PUT',
      url: '/v1/members/42',
      headers: shop.auth,
      payload: { email: 'Ana@Example.com', emailVerified: true, firstName: 'Ana', locale: 'pl', birthday: '1990-05-17' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      customerId: '42',
      email: 'ana@example.com',
      locale: 'pl',
      birthday: '1990-05-17',
      tier: null,
      balance: { available: 0, pending: 0, held: 0 },
      lifetime: { earned: 0, redeemed: 0, expired: 0 },
      expiring: [],
    });
    await adjust(t.app, shop, '42', { points: 300 });
    const updated = await t.app.inject({
      method: 'PUT',
      url: '/v1/members/42',
      headers: shop.auth,
      payload: { email: 'ana@example.com', firstName: 'Anna', locale: 'en' },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ firstName: 'Anna', locale: 'en', birthday: null, balance: { available: 300 } });
  });

  it.each([
    [{ email: 'not-an-email' }, '/email'],
    [{ birthday: '1990-02-30' }, '/birthday'],
    [{ birthday: '2999-01-01' }, '/birthday'],
    [{ locale: 'polish' }, '/locale'],
    [{ emailVerified: 'yes' }, '/emailVerified'],
  ])('refuses %j with validation_failed on %s and writes nothing', async (body, field) => {
    const response = await t.app.inject({ method: 'PUT', url: '/v1/members/bad-1', headers: shop.auth, payload: body });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    const get = await t.app.inject({ method: 'GET', url: '/v1/members/bad-1', headers: shop.auth });
    expect(get.statusCode).toBe(404);
  });
});

describe('adjustments', () => {
  it('credits and debits with a reason and the key that did it', async () => {
    await putMember(t.app, shop, 'adj-1');
    const credit = await adjust(t.app, shop, 'adj-1', { points: 500, reason: 'goodwill for a late parcel' });
    expect(credit.statusCode).toBe(201);
    expect(credit.json()).toMatchObject({ kind: 'adjust', points: 500, bucket: 'available', reason: 'goodwill for a late parcel' });
    expect(credit.json().actor).toMatch(/^key_/);
    const debit = await adjust(t.app, shop, 'adj-1', { points: -120, reason: 'duplicate goodwill' });
    expect(debit.json()).toMatchObject({ kind: 'adjust', points: -120, bucket: 'available' });
    expect(await balanceOf(t.app, shop, 'adj-1')).toEqual({ available: 380, pending: 0, held: 0 });
    const member = (await t.app.inject({ method: 'GET', url: '/v1/members/adj-1', headers: shop.auth })).json();
    expect(member.lifetime).toEqual({ earned: 380, redeemed: 0, expired: 0 });
  });

  it('records who in the shop made it (by) beside the key, and shows it in the activity', async () => {
    await putMember(t.app, shop, 'adj-6');
    const made = await adjust(t.app, shop, 'adj-6', { points: 25, reason: 'late parcel', by: 'anna.admin' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ kind: 'adjust', reason: 'late parcel', by: 'anna.admin' });
    expect(made.json().actor).toMatch(/^key_/);
    await adjust(t.app, shop, 'adj-6', { points: 5, reason: 'no name' });
    const activity = (await t.app.inject({ method: 'GET', url: '/v1/members/adj-6/activity', headers: shop.auth })).json();
    expect(activity.data.map((e: { by?: string }) => e.by ?? null)).toEqual([null, 'anna.admin']);
    const tooLong = await adjust(t.app, shop, 'adj-6', { points: 5, reason: 'x', by: 'x'.repeat(101) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors.map((e: { field: string }) => e.field)).toContain('/by');
  });

  it('refuses an overdraft with 409 insufficient_points and writes nothing', async () => {
    await putMember(t.app, shop, 'adj-2');
    await adjust(t.app, shop, 'adj-2', { points: 100 });
    const response = await adjust(t.app, shop, 'adj-2', { points: -101 });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'insufficient_points', available: 100, requested: 101 });
    const activity = await t.app.inject({ method: 'GET', url: '/v1/members/adj-2/activity', headers: shop.auth });
    expect(activity.json().data).toHaveLength(1);
    expect(await balanceOf(t.app, shop, 'adj-2')).toMatchObject({ available: 100 });
  });

  it('claws back into debt only when asked, and later credits repay the debt first', async () => {
    await putMember(t.app, shop, 'adj-3');
    await adjust(t.app, shop, 'adj-3', { points: 50 });
    const clawBack = await adjust(t.app, shop, 'adj-3', { points: -80, allowNegative: true, reason: 'fraud' });
    expect(clawBack.statusCode).toBe(201);
    expect(await balanceOf(t.app, shop, 'adj-3')).toMatchObject({ available: -30 });
    await adjust(t.app, shop, 'adj-3', { points: 100 });
    expect(await balanceOf(t.app, shop, 'adj-3')).toMatchObject({ available: 70 });
    const check = await t.app.inject({ method: 'GET', url: '/v1/ledger/check', headers: shop.auth });
    expect(check.json()).toMatchObject({ ok: true, differences: [] });
  });

  it('gives credited points an expiry, shown soonest first', async () => {
    await putMember(t.app, shop, 'adj-4');
    const later = new Date(Date.now() + 90 * 86_400_000).toISOString();
    const sooner = new Date(Date.now() + 30 * 86_400_000).toISOString();
    await adjust(t.app, shop, 'adj-4', { points: 70, expiresAt: later });
    await adjust(t.app, shop, 'adj-4', { points: 30, expiresAt: sooner });
    await adjust(t.app, shop, 'adj-4', { points: 5 });
    const member = (await t.app.inject({ method: 'GET', url: '/v1/members/adj-4', headers: shop.auth })).json();
    expect(member.expiring).toEqual([
      { points: 30, at: sooner },
      { points: 70, at: later },
    ]);
    // A debit burns the soonest-expiring lot first.
    await adjust(t.app, shop, 'adj-4', { points: -40 });
    const after = (await t.app.inject({ method: 'GET', url: '/v1/members/adj-4', headers: shop.auth })).json();
    expect(after.expiring).toEqual([{ points: 60, at: later }]);
  });

  it.each([
    [{ points: 0 }, '/points'],
    [{ points: 1.5 }, '/points'],
    [{ points: '10' }, '/points'],
    [{ points: 10, reason: '' }, '/reason'],
    [{ points: 10, expiresAt: '2001-01-01T00:00:00Z' }, '/expiresAt'],
    [{ points: -10, expiresAt: '2999-01-01T00:00:00Z' }, '/expiresAt'],
  ])('refuses %j (%s)', async (body, field) => {
    await putMember(t.app, shop, 'adj-5');
    const response = await adjust(t.app, shop, 'adj-5', body);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 404 for an unknown member', async () => {
    const response = await adjust(t.app, shop, 'nobody', { points: 5 });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('not_found');
  });
});

describe('activity', () => {
  it('pages newest first with a cursor', async () => {
    await putMember(t.app, shop, 'act-1');
    for (let i = 1; i <= 5; i++) await adjust(t.app, shop, 'act-1', { points: i, reason: `r${i}` });
    const first = await t.app.inject({ method: 'GET', url: '/v1/members/act-1/activity?limit=2', headers: shop.auth });
    expect(first.json().data.map((e: { points: number }) => e.points)).toEqual([5, 4]);
    const cursor = first.json().nextCursor;
    const second = await t.app.inject({ method: 'GET', url: `/v1/members/act-1/activity?limit=2&cursor=${cursor}`, headers: shop.auth });
    expect(second.json().data.map((e: { points: number }) => e.points)).toEqual([3, 2]);
    const third = await t.app.inject({
      method: 'GET',
      url: `/v1/members/act-1/activity?limit=2&cursor=${second.json().nextCursor}`,
      headers: shop.auth,
    });
    expect(third.json()).toMatchObject({ data: [{ points: 1 }], nextCursor: null });
  });

  it('refuses a forged cursor and a limit over 200', async () => {
    await putMember(t.app, shop, 'act-2');
    const forged = await t.app.inject({ method: 'GET', url: '/v1/members/act-2/activity?cursor=xyz', headers: shop.auth });
    expect(forged.statusCode).toBe(400);
    const big = await t.app.inject({ method: 'GET', url: '/v1/members/act-2/activity?limit=201', headers: shop.auth });
    expect(big.statusCode).toBe(400);
    expect(big.json().errors[0].field).toBe('query/limit');
  });
});

describe('export and erase (D19)', () => {
  it('exports the whole history, then erases personal data and keeps the ledger', async () => {
    await putMember(t.app, shop, 'gdpr-1', { email: 'gdpr@example.com', birthday: '1985-01-02' });
    await adjust(t.app, shop, 'gdpr-1', { points: 200 });
    await adjust(t.app, shop, 'gdpr-1', { points: -50 });
    const exported = await t.app.inject({ method: 'GET', url: '/v1/members/gdpr-1/export', headers: shop.auth });
    expect(exported.statusCode).toBe(200);
    const dump = exported.json();
    expect(dump.member).toMatchObject({ customerId: 'gdpr-1', email: 'gdpr@example.com', birthday: '1985-01-02' });
    expect(dump.entries.map((e: { points: number }) => e.points)).toEqual([-50, 200].reverse());
    expect(dump.lots).toEqual([expect.objectContaining({ amount: 200, remaining: 150 })]);

    const erased = await t.app.inject({ method: 'DELETE', url: '/v1/members/gdpr-1', headers: shop.auth });
    expect(erased.statusCode).toBe(204);
    const gone = await t.app.inject({ method: 'GET', url: '/v1/members/gdpr-1', headers: shop.auth });
    expect(gone.statusCode).toBe(404);

    const rows = await t.container.database.pool.query(
      `SELECT m.customer_id, m.email, m.first_name, m.last_name, m.birthday, m.available,
              (SELECT count(*)::int FROM ledger_entries e WHERE e.shop_id = m.shop_id AND e.member_id = m.id) AS entries
         FROM members m WHERE m.shop_id = $1 AND m.id = $2`,
      [shop.id, dump.member.memberId],
    );
    expect(rows.rows[0]).toMatchObject({ email: null, first_name: null, last_name: null, birthday: null, available: 150, entries: 2 });
    expect(rows.rows[0].customer_id).toMatch(/^erased_/);
    expect(JSON.stringify(rows.rows[0])).not.toContain('gdpr');

    // The same customer id can join again, as a new member with nothing.
    const again = await putMember(t.app, shop, 'gdpr-1');
    expect(again.balance.available).toBe(0);
  });

  it('erases a customer who joined again, each time under a pseudonym of its own', async () => {
    const pseudonyms = async () =>
      (await t.container.database.pool.query(
        `SELECT customer_id FROM members WHERE shop_id = $1 AND erased_at IS NOT NULL
           AND id IN (SELECT member_id FROM ledger_entries WHERE shop_id = $1 AND reason = 'rejoin')`,
        [shop.id],
      )).rows.map((r: { customer_id: string }) => r.customer_id);
    for (let round = 1; round <= 3; round++) {
      await putMember(t.app, shop, 'rejoin-1');
      await adjust(t.app, shop, 'rejoin-1', { points: 10 * round, reason: 'rejoin' });
      const erased = await t.app.inject({ method: 'DELETE', url: '/v1/members/rejoin-1', headers: shop.auth });
      expect(erased.statusCode, `erase ${round}`).toBe(204);
    }
    const names = await pseudonyms();
    expect(names).toHaveLength(3);
    expect(new Set(names).size).toBe(3);
    for (const name of names) expect(name).toMatch(/^erased_[A-Za-z0-9_-]{22}$/);
    expect(names.join()).not.toContain('rejoin-1');
  });
});

describe('tenant isolation (D20)', () => {
  it("never lets shop B read or move shop A's member, on any route", async () => {
    const a = await createShop(t.app, { name: 'A' });
    const b = await createShop(t.app, { name: 'B' });
    await putMember(t.app, a, 'c-1');
    await adjust(t.app, a, 'c-1', { points: 100 });
    const count = async () =>
      (await t.container.database.pool.query('SELECT count(*)::int AS n FROM ledger_entries')).rows[0].n as number;
    const before = await count();
    const routes: [string, string, unknown?][] = [
      ['GET', '/v1/members/c-1'],
      ['GET', '/v1/members/c-1/activity'],
      ['GET', '/v1/members/c-1/export'],
      ['POST', '/v1/members/c-1/adjustments', { points: -100, reason: 'steal', allowNegative: true }],
      ['DELETE', '/v1/members/c-1'],
    ];
    for (const [method, url, payload] of routes) {
      const response = await t.app.inject({ method: method as 'GET', url, headers: b.auth, ...(payload ? { payload } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.body).not.toContain('c-1@example.com');
    }
    expect(await count()).toBe(before);
    // The same customer id in B is B's own member.
    await putMember(t.app, b, 'c-1', { email: 'other@example.com' });
    expect(await balanceOf(t.app, b, 'c-1')).toMatchObject({ available: 0 });
    expect(await balanceOf(t.app, a, 'c-1')).toMatchObject({ available: 100 });
    const checkB = await t.app.inject({ method: 'GET', url: '/v1/ledger/check', headers: b.auth });
    expect(checkB.json().members).toBe(1);
  });
});
