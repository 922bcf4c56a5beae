import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { claimBatch } from '../../services/core/outbox/outbox-repo.ts';
import { withTx } from '../../services/db/tx.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { balanceOf, putMember } from '../helpers/members.ts';

// D11: bonuses given by the shop (POST /v1/members/{customerId}/bonuses), on sign-up and for referrals.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
let second: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock, env: { DATABASE_POOL_MAX: '20' } });
  // A second container on the same database: another API process.
  second = await buildTestApp({ clock, databaseUrl: t.config.databaseUrl, env: { DATABASE_POOL_MAX: '20' } });
});
afterAll(async () => {
  await second.close();
  await t.close();
});

const give = (shop: TestShop, customerId: string, payload: Record<string, unknown>, headers: Record<string, string> = {}, app = t) =>
  app.app.inject({ method: 'POST', url: `/v1/members/${customerId}/bonuses`, headers: { ...shop.auth, ...headers }, payload });
const program = async (shop: TestShop, payload: Record<string, unknown>) => {
  const response = await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload });
  expect(response.statusCode, response.body).toBe(200);
};
const send = async (shop: TestShop, event: unknown) => {
  const response = await sendEvent(t.app, shop, event, { t: Math.floor(clock.now().getTime() / 1000) });
  expect(response.statusCode, response.body).toBe(202);
  return response;
};
const bonusRows = async (shop: TestShop) =>
  (await t.container.database.pool.query(
    `SELECT m.customer_id, b.kind, b.reference, b.points::int AS points, b.actor FROM bonuses b JOIN members m ON m.shop_id = b.shop_id AND m.id = b.member_id
      WHERE b.shop_id = $1 ORDER BY m.customer_id, b.kind, b.reference`, [shop.id])).rows;
const bonusEntries = async (shop: TestShop) =>
  (await t.container.database.pool.query(`SELECT count(*)::int AS n FROM ledger_entries WHERE shop_id = $1 AND kind = 'bonus'`, [shop.id])).rows[0].n as number;
const activity = async (shop: TestShop, customerId: string) =>
  (await t.app.inject({ method: 'GET', url: `/v1/members/${customerId}/activity`, headers: shop.auth })).json().data as Record<string, unknown>[];
const ledgerOk = async (shop: TestShop) => {
  const check = await t.app.inject({ method: 'GET', url: '/v1/ledger/check', headers: shop.auth });
  expect(check.json()).toMatchObject({ ok: true, differences: [] });
};

describe('POST /v1/members/{customerId}/bonuses (D11)', () => {
  it('gives a bonus once per kind and reference: 201, then 200 with the first and duplicate: true', async () => {
    const shop = await createShop(t.app);
    await program(shop, { bonuses: { review: 40 } });
    await putMember(t.app, shop, 'c1');
    const first = await give(shop, 'c1', { kind: 'review', reference: 'rev-1' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({
      kind: 'review', reference: 'rev-1', points: 40, entryId: expect.stringMatching(/^ent_/), createdAt: clock.now().toISOString(),
      duplicate: false, balance: { available: 40, pending: 0, held: 0 },
    });
    // The same bonus again, even naming other points: the first stands, nothing more is given.
    const again = await give(shop, 'c1', { kind: 'review', reference: 'rev-1', points: 999 });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), duplicate: true });
    // Another reference, or another kind with the same reference, is another bonus.
    expect((await give(shop, 'c1', { kind: 'review', reference: 'rev-2', points: 5 })).json()).toMatchObject({ points: 5, balance: { available: 45 } });
    expect((await give(shop, 'c1', { kind: 'custom', reference: 'rev-1', points: 7 })).statusCode).toBe(201);
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 52, pending: 0, held: 0 });
    expect(await bonusEntries(shop)).toBe(3);
    const entries = await activity(shop, 'c1');
    expect(entries[2]).toMatchObject({ kind: 'bonus', bonusKind: 'review', reference: 'rev-1', points: 40, bucket: 'available', actor: expect.stringMatching(/^key_/) });
    expect(entries[0]).toMatchObject({ kind: 'bonus', bonusKind: 'custom', reference: 'rev-1', points: 7 });
    await ledgerOk(shop);
  });

  it('two at once (in two processes) give it once', async () => {
    const shop = await createShop(t.app);
    await program(shop, { bonuses: { review: 10 } });
    await putMember(t.app, shop, 'c1');
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => give(shop, 'c1', { kind: 'review', reference: 'r-race' }, {}, i % 2 ? second : t)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.json().entryId)).size).toBe(1);
    // With Idempotency-Keys too: each key is its own request, the bonus still once.
    const keyed = await Promise.all(Array.from({ length: 6 }, (_, i) => give(shop, 'c1', { kind: 'review', reference: 'r-keyed' }, { 'idempotency-key': `bk-${i}` }, i % 2 ? second : t)));
    expect(keyed.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 20, pending: 0, held: 0 });
    expect(await bonusEntries(shop)).toBe(2);
    await ledgerOk(shop);
  });

  it('honours Idempotency-Key: a replay answers the stored 201', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'c1');
    const first = await give(shop, 'c1', { kind: 'custom', reference: 'gift', points: 30 }, { 'idempotency-key': 'gift-1' });
    const replay = await give(shop, 'c1', { kind: 'custom', reference: 'gift', points: 30 }, { 'idempotency-key': 'gift-1' });
    expect(first.statusCode).toBe(201);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    const reused = await give(shop, 'c1', { kind: 'custom', reference: 'gift', points: 31 }, { 'idempotency-key': 'gift-1' });
    expect(reused.json().code).toBe('idempotency_key_reused');
    expect(await balanceOf(t.app, shop, 'c1')).toEqual({ available: 30, pending: 0, held: 0 });
  });

  it('refuses bad input (400), an unknown member (404) and a bonus worth 0 (422 bonus_not_configured), writing nothing', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'c1');
    for (const [payload, field] of [
      [{ kind: 'custom', reference: 'x' }, '/points'],
      [{ kind: 'feedback', reference: 'o-1', points: 5 }, '/kind'],
      [{ kind: 'bogus', reference: 'x', points: 5 }, '/kind'],
      [{ kind: 'review', reference: '', points: 5 }, '/reference'],
      [{ kind: 'review', reference: 'x'.repeat(129), points: 5 }, '/reference'],
      [{ kind: 'review', reference: 'x', points: 0 }, '/points'],
      [{ kind: 'review', reference: 'x', points: -5 }, '/points'],
      [{ kind: 'review', reference: 'x', points: 1.5 }, '/points'],
      [{ kind: 'review' }, '/reference'],
    ] as const) {
      const response = await give(shop, 'c1', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(JSON.stringify(response.json().errors)).toContain(field);
    }
    const unknown = await give(shop, 'nobody', { kind: 'review', reference: 'x', points: 5 });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('not_found');
    const unconfigured = await give(shop, 'c1', { kind: 'review', reference: 'x' });
    expect(unconfigured.statusCode).toBe(422);
    expect(unconfigured.json()).toMatchObject({ code: 'bonus_not_configured', kind: 'review' });
    expect((await give(shop, 'c1', { kind: 'review', reference: 'x'.repeat(128), points: 1 })).statusCode).toBe(201);
    expect(await bonusRows(shop)).toHaveLength(1);
  });

  it('credits a lot that expires as matured points would under the program\'s expiry; its event names the kind', async () => {
    const shop = await createShop(t.app);
    await program(shop, { expiry: { policy: 'afterMonths', months: 12 } });
    await putMember(t.app, shop, 'c1');
    expect((await give(shop, 'c1', { kind: 'custom', reference: 'x', points: 10 })).statusCode).toBe(201);
    expect((await activity(shop, 'c1'))[0]).toMatchObject({ kind: 'bonus', expiresAt: '2027-11-20T12:00:00.000Z' });
    // Its event (D16), as webhooks receive it, says what the bonus was for.
    const events = await withTx(t.container.database.db, (tx) => claimBatch(tx, 1_000));
    expect(events.filter((e) => e.shopId === shop.id && e.type === 'points.bonus').map((e) => e.data)).toEqual([
      expect.objectContaining({ customerId: 'c1', points: 10, to: 'available', bonusKind: 'custom', reference: 'x', expiresAt: '2027-11-20T12:00:00.000Z' }),
    ]);
  });
});

describe('sign-up bonus (D11)', () => {
  it('is given when a member is first created, by PUT, customer.upserted or an order, never on a profile update', async () => {
    const shop = await createShop(t.app);
    await program(shop, { bonuses: { signup: 100 } });
    const created = await t.app.inject({ method: 'PUT', url: '/v1/members/s1', headers: shop.auth, payload: { email: 's1@example.com' } });
    expect(created.statusCode).toBe(201);
    expect(created.json().balance).toEqual({ available: 100, pending: 0, held: 0 });
    const updated = await t.app.inject({ method: 'PUT', url: '/v1/members/s1', headers: shop.auth, payload: { email: 's1@example.com', firstName: 'Ana' } });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().balance).toEqual({ available: 100, pending: 0, held: 0 });

    await send(shop, envelope('customer.upserted', { customer: { id: 's2', email: 's2@example.com' } }));
    await send(shop, envelope('customer.upserted', { customer: { id: 's2', email: 's2@example.com', firstName: 'Ola' } }));
    expect(await balanceOf(t.app, shop, 's2')).toEqual({ available: 100, pending: 0, held: 0 });

    await send(shop, envelope('order.completed', { order: order('o-s3', { customerId: 's3' }) }));
    await send(shop, envelope('order.completed', { order: order('o-s3b', { customerId: 's3' }) }));
    expect(await balanceOf(t.app, shop, 's3')).toEqual({ available: 100, pending: 200, held: 0 });

    expect(await bonusRows(shop)).toEqual(['s1', 's2', 's3'].map((c) => ({ customer_id: c, kind: 'signup', reference: 'signup', points: 100, actor: 'system' })));
    expect((await activity(shop, 's1'))[0]).toMatchObject({ kind: 'bonus', bonusKind: 'signup', reference: 'signup', points: 100 });
    await ledgerOk(shop);
  });

  it('is not given when the program\'s signup is 0', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'z1');
    await send(shop, envelope('order.completed', { order: order('o-z2', { customerId: 'z2' }) }));
    expect(await balanceOf(t.app, shop, 'z1')).toEqual({ available: 0, pending: 0, held: 0 });
    expect(await bonusRows(shop)).toEqual([]);
  });

  it('comes before the guest orders a verified e-mail claims, in the same transaction', async () => {
    const shop = await createShop(t.app);
    await program(shop, { bonuses: { signup: 100 } });
    await send(shop, envelope('order.completed', { order: order('o-g', { customerId: null, email: 'g@example.com' }) }));
    const created = await t.app.inject({ method: 'PUT', url: '/v1/members/g1', headers: shop.auth, payload: { email: 'g@example.com', emailVerified: true } });
    expect(created.statusCode).toBe(201);
    expect(created.json().balance).toEqual({ available: 100, pending: 100, held: 0 });
    await ledgerOk(shop);
  });
});
