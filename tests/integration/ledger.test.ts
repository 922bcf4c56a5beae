import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNLIMITED_RATES, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { createTestDatabase, excludeFromLedgerCheck } from '../helpers/db.ts';
import { adjust, balanceOf, putMember } from '../helpers/members.ts';

let t: TestApp;
let shop: TestShop;
beforeAll(async () => {
  // 160 adjustments of one key at once, among others: more than a key may (D21).
  t = await buildTestApp({ env: { DATABASE_POOL_MAX: '20', ...UNLIMITED_RATES } });
  shop = await createShop(t.app);
});
afterAll(() => t.close());

describe('concurrency on one member (D13)', () => {
  it('100 parallel debits of 10 against 500: exactly 50 succeed, never below zero', async () => {
    await putMember(t.app, shop, 'hot-1');
    await adjust(t.app, shop, 'hot-1', { points: 500 });
    const responses = await Promise.all(Array.from({ length: 100 }, () => adjust(t.app, shop, 'hot-1', { points: -10 })));
    const codes = responses.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(50);
    expect(codes.filter((c) => c === 409)).toHaveLength(50);
    expect(responses.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'insufficient_points')).toBe(true);
    expect(await balanceOf(t.app, shop, 'hot-1')).toEqual({ available: 0, pending: 0, held: 0 });
    const check = await t.app.inject({ method: 'GET', url: '/v1/ledger/check', headers: shop.auth });
    expect(check.json().ok).toBe(true);
  });

  it('parallel credits and debits on one member add up exactly', async () => {
    await putMember(t.app, shop, 'hot-2');
    await adjust(t.app, shop, 'hot-2', { points: 1000 });
    const ops = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 30 : -7));
    const responses = await Promise.all(ops.map((points) => adjust(t.app, shop, 'hot-2', { points })));
    expect(responses.every((r) => r.statusCode === 201)).toBe(true);
    expect((await balanceOf(t.app, shop, 'hot-2')).available).toBe(1000 + ops.reduce((a, b) => a + b, 0));
  });
});

describe('append-only ledger (D13)', () => {
  it('refuses UPDATE and DELETE of entries and lot movements, whoever sends them', async () => {
    await putMember(t.app, shop, 'ao-1');
    await adjust(t.app, shop, 'ao-1', { points: 10 });
    const pool = t.container.database.pool;
    await expect(pool.query(`UPDATE ledger_entries SET points = 1000 WHERE shop_id = $1`, [shop.id])).rejects.toThrow(/append-only/);
    await expect(pool.query(`DELETE FROM ledger_entries WHERE shop_id = $1`, [shop.id])).rejects.toThrow(/append-only/);
    await expect(pool.query(`DELETE FROM lot_movements WHERE shop_id = $1`, [shop.id])).rejects.toThrow(/append-only/);
    await expect(pool.query(`TRUNCATE ledger_entries CASCADE`)).rejects.toThrow(/append-only/);
  });

  it('backs the buckets with CHECK constraints', async () => {
    await expect(
      t.container.database.pool.query(`UPDATE members SET held = -1 WHERE shop_id = $1`, [shop.id]),
    ).rejects.toThrow(/members_held_nonnegative/);
    await expect(
      t.container.database.pool.query(`UPDATE lots SET remaining = amount + 1 WHERE shop_id = $1`, [shop.id]),
    ).rejects.toThrow(/lots_remaining_range/);
  });
});

describe('ledger check (D13)', () => {
  it('reads one snapshot: checks running during writes find nothing', async () => {
    for (let i = 0; i < 8; i++) await putMember(t.app, shop, `live-${i}`);
    let done = 0;
    const writes = Promise.all(
      Array.from({ length: 160 }, async (_, i) => {
        const response = await adjust(t.app, shop, `live-${i % 8}`, { points: i % 2 === 0 ? 9 : 3 });
        done++;
        return response;
      }),
    );
    // Checks one after another for as long as the writes go on (and at least ten).
    const checks: { differences: unknown[]; doneBefore: number; doneAfter: number }[] = [];
    while (done < 160 || checks.length < 10) {
      const doneBefore = done;
      const { differences } = await t.container.ledger.check(shop.id);
      checks.push({ differences, doneBefore, doneAfter: done });
    }
    const responses = await writes;
    expect(responses.map((r) => r.statusCode)).toEqual(Array(160).fill(201));
    // Every write landed: each member got 20 of them, 9 points each for even members, 3 for odd ones.
    for (let i = 0; i < 8; i++) {
      expect(await balanceOf(t.app, shop, `live-${i}`), `live-${i}`).toEqual({ available: i % 2 === 0 ? 180 : 60, pending: 0, held: 0 });
    }
    expect(checks.flatMap((c) => c.differences)).toEqual([]);
    // The checks overlapped the writes: several began after some writes had landed and ended before the last.
    const during = checks.filter((c) => c.doneBefore > 0 && c.doneAfter < 160);
    expect(during.length, JSON.stringify(checks.map((c) => [c.doneBefore, c.doneAfter]))).toBeGreaterThanOrEqual(3);
  });

  it('finds a balance and a lot that no longer match their entries', async () => {
    // A database of its own, corrupted on purpose, left out of the after-file check.
    const url = await createTestDatabase();
    excludeFromLedgerCheck(url);
    const other = await buildTestApp({ databaseUrl: url });
    try {
      const s = await createShop(other.app);
      await putMember(other.app, s, 'x-1');
      await adjust(other.app, s, 'x-1', { points: 40 });
      const clean = await other.app.inject({ method: 'GET', url: '/v1/ledger/check', headers: s.auth });
      expect(clean.json()).toEqual({ ok: true, members: 1, differences: [] });

      await other.container.database.pool.query(`UPDATE members SET available = 45 WHERE shop_id = $1`, [s.id]);
      await other.container.database.pool.query(`UPDATE lots SET remaining = 39 WHERE shop_id = $1`, [s.id]);
      const report = (await other.app.inject({ method: 'GET', url: '/v1/ledger/check', headers: s.auth })).json();
      expect(report.ok).toBe(false);
      expect(report.differences).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ customerId: 'x-1', check: 'available', expected: 40, actual: 45 }),
          expect.objectContaining({ check: 'lots.remaining = max(available, 0) + held', expected: 40, actual: 39 }),
          expect.objectContaining({ check: 'lot.remaining = sum(movements)', expected: 40, actual: 39 }),
        ]),
      );
    } finally {
      await other.close();
    }
  });
});
