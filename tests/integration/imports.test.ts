import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { adjust, balanceOf, putMember } from '../helpers/members.ts';

// POST /v1/imports (docs/imports.md): points from another system, one NDJSON line each, idempotent per reference.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(() => t.close());

const NDJSON = { 'content-type': 'application/x-ndjson' };
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const ndjson = (lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
const send = (shop: TestShop, body: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/v1/imports', headers: { ...shop.auth, ...NDJSON, ...headers }, payload: body });
async function importLines(shop: TestShop, lines: unknown[], headers: Record<string, string> = {}) {
  const response = await send(shop, ndjson(lines), headers);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { applied: number; duplicates: number; membersCreated: number; errors: { line: number; code: string; detail: string }[] };
}
const memberOf = async (shop: TestShop, id: string) => (await t.app.inject({ method: 'GET', url: `/v1/members/${id}`, headers: shop.auth })).json();
const activity = async (shop: TestShop, id: string) =>
  (await t.app.inject({ method: 'GET', url: `/v1/members/${id}/activity?limit=200`, headers: shop.auth })).json().data as Record<string, unknown>[];
const program = async (shop: TestShop, payload: Record<string, unknown>) => {
  const response = await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload });
  expect(response.statusCode, response.body).toBe(200);
};
const ledgerOk = async (shop: TestShop) => (await t.app.inject({ method: 'GET', url: '/v1/ledger/check', headers: shop.auth })).json().ok;
const outbox = async (shop: TestShop) => {
  const { rows } = await t.container.database.pool.query(`SELECT type, count(*)::int AS n FROM outbox WHERE shop_id = $1 GROUP BY type ORDER BY type`, [shop.id]);
  return Object.fromEntries(rows.map((r) => [r.type, r.n]));
};
const importEntries = async (shop: TestShop) => {
  const { rows } = await t.container.database.pool.query(`SELECT count(*)::int AS n FROM ledger_entries WHERE shop_id = $1 AND kind = 'import'`, [shop.id]);
  return rows[0].n as number;
};

describe('POST /v1/imports', () => {
  it('applies the good lines, reports each bad one by line and code, and creates the members it names', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'known');
    const result = await importLines(shop, [
      { customerId: 'known', points: 500, reference: 'oc-1' },
      { customerId: 'new-1', email: 'New@Example.com', points: 300, reference: 'oc-2' },
      '{"customerId": "new-2", "points": 10,',
      { customerId: 'new-3', points: -5, reference: 'oc-4' },
      '',
      { customerId: 'new-1', points: 200, reference: 'oc-6', expiresAt: '2027-06-01T00:00:00Z' },
      { customerId: 'new-4', points: 1, reference: 'oc-7', expiresAt: '2026-11-20T11:59:59Z' },
      { customerId: 'new-5', points: 1, reference: 'oc-8', colour: 'red' },
    ]);
    expect(result).toEqual({
      applied: 3,
      duplicates: 0,
      membersCreated: 1,
      errors: [
        { line: 3, code: 'invalid_json', detail: 'The line is not valid JSON' },
        { line: 4, code: 'validation_failed', detail: '/points: must be from 1 to 9007199254740991' },
        { line: 7, code: 'validation_failed', detail: '/expiresAt: must be in the future (points already expired are not imported)' },
        { line: 8, code: 'validation_failed', detail: '/colour: is not a field of an import line (customerId, email, points, expiresAt, reference)' },
      ],
    });
    expect(await balanceOf(t.app, shop, 'known')).toEqual({ available: 500, pending: 0, held: 0 });
    const created = await memberOf(shop, 'new-1');
    expect(created).toMatchObject({ email: 'new@example.com', emailVerified: false, balance: { available: 500 }, lifetime: { earned: 500 } });
    expect(created.expiring).toEqual([{ points: 200, at: '2027-06-01T00:00:00.000Z' }]);
    for (const refused of ['new-2', 'new-3', 'new-4', 'new-5']) {
      expect((await t.app.inject({ method: 'GET', url: `/v1/members/${refused}`, headers: shop.auth })).statusCode).toBe(404);
    }
    expect((await activity(shop, 'known'))[0]).toMatchObject({ kind: 'import', points: 500, bucket: 'available', reference: 'oc-1', actor: expect.stringMatching(/^key_/) });
    // D16: an event per entry and per member created, in the same transactions.
    expect(await outbox(shop)).toEqual({ 'member.created': 2, 'points.imported': 3 });
    expect(await ledgerOk(shop)).toBe(true);
  });

  it('is idempotent per reference: the same file again is all duplicates and changes nothing', async () => {
    const shop = await createShop(t.app);
    const lines = Array.from({ length: 1_200 }, (_, i) => ({ customerId: `c${i % 70}`, points: 10 + (i % 7), reference: `ref-${i}` }));
    const first = await importLines(shop, lines);
    expect(first).toEqual({ applied: 1_200, duplicates: 0, membersCreated: 70, errors: [] });
    const before = await memberOf(shop, 'c3');
    const again = await importLines(shop, lines);
    expect(again).toEqual({ applied: 0, duplicates: 1_200, membersCreated: 0, errors: [] });
    expect((await memberOf(shop, 'c3')).balance).toEqual(before.balance);
    expect(await importEntries(shop)).toBe(1_200);
    expect(await ledgerOk(shop)).toBe(true);
  });

  it('reports a reference reused with other data, in the file or before it, and counts a repeat in the file as a duplicate', async () => {
    const shop = await createShop(t.app);
    await importLines(shop, [{ customerId: 'a', points: 100, reference: 'r1' }]);
    const result = await importLines(shop, [
      { customerId: 'a', points: 150, reference: 'r1' },
      { customerId: 'b', points: 100, reference: 'r1' },
      { customerId: 'a', points: 100, reference: 'r1', expiresAt: '2030-01-01T00:00:00Z' },
      { customerId: 'c', points: 5, reference: 'r2' },
      { customerId: 'c', points: 5, reference: 'r2' },
      { customerId: 'd', points: 6, reference: 'r2' },
    ]);
    expect(result.applied).toBe(1);
    expect(result.duplicates).toBe(1);
    expect(result.errors.map((e) => [e.line, e.code])).toEqual([[1, 'reference_reused'], [2, 'reference_reused'], [3, 'reference_reused'], [6, 'reference_reused']]);
    expect(result.errors.map((e) => e.detail)).toEqual([
      'Reference "r1" was imported with other data: 100 points',
      'Reference "r1" was imported with other data: for another customer',
      'Reference "r1" was imported with other data: without expiry',
      'Reference "r2" was imported with other data: for another customer, 5 points',
    ]);
    // A member only for the lines applied.
    expect(result.membersCreated).toBe(1);
    expect((await t.app.inject({ method: 'GET', url: '/v1/members/d', headers: shop.auth })).statusCode).toBe(404);
    expect(await balanceOf(t.app, shop, 'a')).toMatchObject({ available: 100 });
  });

  // Without a key each batch is a transaction; with one the whole request is (its batches are savepoints, D15).
  it.each([['alone', false], ['each with its Idempotency-Key', true]])('applies each reference once when imports of the same lines run at once (%s)', async (_name, keyed) => {
    const shop = await createShop(t.app);
    for (let i = 0; i < 5; i++) await putMember(t.app, shop, `k${i}`);
    // Existing and new members, over two batches.
    const lines = Array.from({ length: 700 }, (_, i) => ({ customerId: i % 2 === 0 ? `k${i % 5}` : `n${i % 9}`, points: 3, reference: `same-${i}` }));
    const results = await Promise.all([0, 1, 2].map((n) => importLines(shop, lines, keyed ? { 'idempotency-key': `same-${n}` } : {})));
    expect(results.reduce((sum, r) => sum + r.applied, 0)).toBe(700);
    expect(results.reduce((sum, r) => sum + r.duplicates, 0)).toBe(1_400);
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(results.reduce((sum, r) => sum + r.membersCreated, 0)).toBe(9);
    expect(await importEntries(shop)).toBe(700);
    const expected = (id: string) => lines.filter((l) => l.customerId === id).length * 3;
    expect(await balanceOf(t.app, shop, 'k0')).toMatchObject({ available: expected('k0') });
    expect(await balanceOf(t.app, shop, 'n4')).toMatchObject({ available: expected('n4') });
    expect(await ledgerOk(shop)).toBe(true);
  });

  it('gives an imported member no sign-up bonus, even later when the shop sends its profile (D11)', async () => {
    const shop = await createShop(t.app);
    await program(shop, { bonuses: { signup: 100 } });
    await importLines(shop, [{ customerId: 'old-customer', points: 40, reference: 'x1' }]);
    await putMember(t.app, shop, 'old-customer', { emailVerified: true });
    expect(await balanceOf(t.app, shop, 'old-customer')).toMatchObject({ available: 40 });
    expect((await activity(shop, 'old-customer')).map((e) => e.kind)).toEqual(['import']);
    // A member created the usual way still gets it.
    await putMember(t.app, shop, 'newcomer');
    expect(await balanceOf(t.app, shop, 'newcomer')).toMatchObject({ available: 100 });
  });

  it('makes lots that the expire job expires: at expiresAt, or per the program\'s expiry without one (D8)', async () => {
    const shop = await createShop(t.app);
    await program(shop, { expiry: { policy: 'afterMonths', months: 12 } });
    await importLines(shop, [
      { customerId: 'e1', points: 70, reference: 'dated', expiresAt: '2027-01-15T00:00:00Z' },
      { customerId: 'e1', points: 30, reference: 'undated' },
    ]);
    expect((await memberOf(shop, 'e1')).expiring).toEqual([
      { points: 70, at: '2027-01-15T00:00:00.000Z' },
      { points: 30, at: '2027-11-20T12:00:00.000Z' },
    ]);
    const expire = async (asOf: string) =>
      (await t.app.inject({ method: 'POST', url: `/v1/admin/shops/${shop.id}/jobs/expire`, headers: admin, payload: { asOf } })).json().counts;
    expect(await expire('2027-01-14T23:59:59Z')).toEqual({ expired: 0, points: 0 });
    expect(await expire('2027-01-15T00:00:00Z')).toEqual({ expired: 1, points: 70 });
    expect(await expire('2027-11-20T12:00:00Z')).toEqual({ expired: 1, points: 30 });
    expect(await memberOf(shop, 'e1')).toMatchObject({ balance: { available: 0 }, lifetime: { earned: 100, expired: 100 } });
    expect(await ledgerOk(shop)).toBe(true);
  });

  it('repays a member\'s debt first, as any credit does', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'owes');
    expect((await adjust(t.app, shop, 'owes', { points: -50, allowNegative: true })).statusCode).toBe(201);
    await importLines(shop, [{ customerId: 'owes', points: 80, reference: 'repay' }]);
    expect(await balanceOf(t.app, shop, 'owes')).toMatchObject({ available: 30 });
    expect(await ledgerOk(shop)).toBe(true);
  });

  it('reports a line that would take a balance past 2^53 − 1 as out_of_range and applies the rest (D1)', async () => {
    const shop = await createShop(t.app);
    const result = await importLines(shop, [
      { customerId: 'big', points: Number.MAX_SAFE_INTEGER, reference: 'b1' },
      { customerId: 'big', points: 1, reference: 'b2' },
      { customerId: 'big', points: 1, reference: 'b2' },
      { customerId: 'small', points: 1, reference: 'b3' },
    ]);
    expect(result).toMatchObject({ applied: 2, duplicates: 0, errors: [{ line: 2, code: 'out_of_range' }, { line: 3, code: 'out_of_range' }] });
    expect(await balanceOf(t.app, shop, 'big')).toMatchObject({ available: Number.MAX_SAFE_INTEGER });
  });

  it('honours an Idempotency-Key on the text as sent', async () => {
    const shop = await createShop(t.app);
    const body = ndjson([{ customerId: 'i1', points: 5, reference: 'k1' }]);
    const first = await send(shop, body, { 'idempotency-key': 'import-1' });
    const replay = await send(shop, body, { 'idempotency-key': 'import-1' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    expect(first.json()).toMatchObject({ applied: 1 });
    const other = await send(shop, `${body}\n`, { 'idempotency-key': 'import-1' });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('idempotency_key_reused');
  });

  it.each([
    ['no line', '', 400, 'validation_failed'],
    ['blank lines only', '\n\n  \n', 400, 'validation_failed'],
    ['a body over BODY_LIMIT_BYTES', `{"customerId":"c","points":1,"reference":"a"}\n${' '.repeat(1_048_576)}`, 413, 'payload_too_large'],
    ['a U+0000 character: not text', `{"customerId":"c","points":1,"reference":"a"}\n\u0000`, 400, 'validation_failed'],
    ['more than 10,000 lines', ndjson(Array.from({ length: 10_001 }, (_, i) => ({ customerId: 'c', points: 1, reference: `${i}` }))), 413, 'payload_too_large'],
  ])('refuses %s as a whole, writing nothing', async (_name, body, status, code) => {
    const shop = await createShop(t.app);
    const response = await send(shop, body);
    expect(response.statusCode).toBe(status);
    expect(response.json().code).toBe(code);
    expect(await importEntries(shop)).toBe(0);
  });

  it('takes NDJSON only (415 otherwise), and a shop key only (401)', async () => {
    const shop = await createShop(t.app);
    const line = { customerId: 'c', points: 1, reference: 'x' };
    const json = await t.app.inject({ method: 'POST', url: '/v1/imports', headers: shop.auth, payload: line });
    expect(json.statusCode).toBe(415);
    expect(json.json()).toMatchObject({ code: 'unsupported_media_type', detail: 'Unsupported Content-Type; send application/x-ndjson' });
    const text = await t.app.inject({ method: 'POST', url: '/v1/imports', headers: { ...shop.auth, 'content-type': 'text/plain' }, payload: ndjson([line]) });
    expect(text.statusCode).toBe(415);
    const none = await t.app.inject({ method: 'POST', url: '/v1/imports', headers: shop.auth });
    expect(none.statusCode).toBe(400);
    const anonymous = await t.app.inject({ method: 'POST', url: '/v1/imports', headers: NDJSON, payload: ndjson([line]) });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('unauthorized');
    expect(await importEntries(shop)).toBe(0);
  });
});
