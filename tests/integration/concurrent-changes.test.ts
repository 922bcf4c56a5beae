import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';

// Concurrent changes of the program and of rules: each read-merge-write runs under a row lock, so concurrent
// changes all land; a client that wants optimistic concurrency sends If-Match with the ETag it read.

let t: TestApp;
/** A request with `x-test-pause` stops after its handler, before its transaction commits, until `resume`. */
let paused: { reached: () => void; resume: Promise<void> } | null = null;
beforeAll(async () => {
  t = await buildTestApp({
    beforeReady: (app) =>
      app.addHook('preSerialization', async (request) => {
        if (!request.headers['x-test-pause'] || !paused) return;
        paused.reached();
        await paused.resume;
      }),
  });
});

/** Sends `request` and holds it after its handler; resolves once it is held, with a function that lets it finish. */
async function holdAfterHandler(send: () => Promise<{ statusCode: number }>) {
  let reached!: () => void;
  let resume!: () => void;
  const atPause = new Promise<void>((resolve) => (reached = resolve));
  paused = { reached, resume: new Promise<void>((resolve) => (resume = resolve)) };
  const response = send();
  await atPause;
  return async () => {
    resume();
    paused = null;
    return response;
  };
}
afterAll(() => t.close());

const putProgram = (shop: TestShop, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'PUT', url: '/v1/program', headers: { ...shop.auth, ...headers }, payload });
const getProgram = (shop: TestShop) => t.app.inject({ method: 'GET', url: '/v1/program', headers: shop.auth });
const storedProgram = async (shop: TestShop) =>
  (await t.container.database.pool.query('SELECT settings, updated_at FROM programs WHERE shop_id = $1', [shop.id])).rows[0] ?? null;

/** One change per field of the program, round `r` giving each a value other than round r − 1's. */
function fieldChanges(r: number): object[] {
  const flip = r % 2 === 0;
  const n = r + 1;
  return [
    { pointsPerUnit: 1 + n },
    { awardOn: flip ? 'paid' : 'completed' },
    { pendingDays: n },
    { includeShipping: flip },
    { includeTax: flip },
    { negativeBalance: flip ? 'writeoff' : 'allow' },
    { expiry: { policy: flip ? 'afterMonths' : 'none' } },
    { expiry: { months: 5 + n } },
    { expiry: { period: flip ? 'month' : 'year' } },
    { remindDaysBefore: [10 + n] },
    { redemption: { pointValue: 1 + n } },
    { redemption: { minPoints: 10 + n } },
    { redemption: { maxPercentOfOrder: 50 + n } },
    { redemption: { holdMinutes: 10 + n } },
    { restoreGraceDays: n },
    { guestAccrual: !flip },
    { bonuses: { signup: n } },
    { bonuses: { birthday: n } },
    { bonuses: { review: n } },
    { bonuses: { referral: n } },
    { bonuses: { feedback: n } },
  ];
}

function merged(base: Record<string, unknown>, changes: object[]): Record<string, unknown> {
  const out = structuredClone(base);
  for (const change of changes) {
    for (const [key, value] of Object.entries(change)) {
      out[key] = value && typeof value === 'object' && !Array.isArray(value) ? { ...(out[key] as object), ...value } : value;
    }
  }
  return out;
}

describe('PUT /v1/program, concurrently', () => {
  it('lands every one of concurrent changes to different fields, round after round', async () => {
    const shop = await createShop(t.app);
    let expected = (await getProgram(shop)).json();
    for (let round = 0; round < 3; round++) {
      const changes = fieldChanges(round);
      const responses = await Promise.all(changes.map((change) => putProgram(shop, change)));
      expect(responses.map((r) => r.statusCode)).toEqual(changes.map(() => 200));
      expected = merged(expected, changes);
      expect((await getProgram(shop)).json(), `round ${round}`).toEqual(expected);
      expect((await storedProgram(shop)).settings).toEqual(expected);
    }
  });

  it('answers with the version as ETag, and refuses a stale If-Match with 412, writing nothing', async () => {
    const shop = await createShop(t.app);
    const read = await getProgram(shop);
    const first = read.headers.etag as string;
    expect(first).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect((await getProgram(shop)).headers.etag).toBe(first); // the same settings, the same version

    const changed = await putProgram(shop, { pendingDays: 3 }, { 'if-match': first });
    expect(changed.statusCode).toBe(200);
    const second = changed.headers.etag as string;
    expect(second).not.toBe(first);
    expect((await getProgram(shop)).headers.etag).toBe(second);
    const before = await storedProgram(shop);

    for (const stale of [first, `W/${second}`, '"nonsense"', 'not-a-tag']) {
      const refused = await putProgram(shop, { pendingDays: 9 }, { 'if-match': stale });
      expect(refused.statusCode, stale).toBe(412);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({ status: 412, code: 'precondition_failed', type: 'urn:lojal:problem:precondition_failed' });
    }
    expect(await storedProgram(shop)).toEqual(before);
    expect((await getProgram(shop)).json().pendingDays).toBe(3);

    // The current version (alone or in a list), or `*`, lets the change through.
    const listed = await putProgram(shop, { pendingDays: 4 }, { 'if-match': `${first}, ${second}` });
    expect(listed.statusCode).toBe(200);
    const any = await putProgram(shop, { pendingDays: 5 }, { 'if-match': '*' });
    expect(any.statusCode).toBe(200);
    expect(any.json().pendingDays).toBe(5);
  });

  it('still takes a change without If-Match', async () => {
    const shop = await createShop(t.app);
    const response = await putProgram(shop, { restoreGraceDays: 12 });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect((await getProgram(shop)).json().restoreGraceDays).toBe(12);
  });

  it('lets exactly one of concurrent changes naming the same version through', async () => {
    const shop = await createShop(t.app);
    const version = (await getProgram(shop)).headers.etag as string;
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => putProgram(shop, { pendingDays: 20 + i }, { 'if-match': version })),
    );
    const codes = responses.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, ...Array(9).fill(412)]);
    const winner = responses.find((r) => r.statusCode === 200)!;
    expect((await getProgram(shop)).json().pendingDays).toBe(winner.json().pendingDays);
  });
});

describe('PUT|DELETE /v1/rules/{ruleId}, concurrently', () => {
  const rule = { name: 'x2', conditions: {}, effect: { multiplier: 2, per: 'line' } };
  const createRule = async (shop: TestShop) => {
    const response = await t.app.inject({ method: 'POST', url: '/v1/rules', headers: shop.auth, payload: rule });
    expect(response.statusCode).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    return response.json().id as string;
  };
  const putRule = (shop: TestShop, id: string, name: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'PUT', url: `/v1/rules/${id}`, headers: { ...shop.auth, ...headers }, payload: { ...rule, name } });
  const versions = async (shop: TestShop, id: string) =>
    (
      await t.container.database.pool.query('SELECT version FROM rule_versions WHERE shop_id = $1 AND rule_id = $2 ORDER BY version', [
        shop.id,
        id,
      ])
    ).rows.map((r) => r.version as number);

  it('gives every one of 30 concurrent replacements its own version', async () => {
    const shop = await createShop(t.app);
    const id = await createRule(shop);
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => putRule(shop, id, `v${i}`)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(30).fill(200));
    expect(responses.map((r) => r.json().version).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
    expect(responses.every((r) => r.headers.etag === `"${r.json().version}"`)).toBe(true);
    expect(await versions(shop, id)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    const read = await t.app.inject({ method: 'GET', url: `/v1/rules/${id}`, headers: shop.auth });
    expect(read.headers.etag).toBe('"31"');
  });

  it('refuses a stale If-Match with 412 on PUT and DELETE, writing nothing', async () => {
    const shop = await createShop(t.app);
    const id = await createRule(shop);
    expect((await putRule(shop, id, 'second', { 'if-match': '"1"' })).headers.etag).toBe('"2"');

    const refused = await putRule(shop, id, 'third', { 'if-match': '"1"' });
    expect(refused.statusCode).toBe(412);
    expect(refused.json().code).toBe('precondition_failed');
    const gone = await t.app.inject({ method: 'DELETE', url: `/v1/rules/${id}`, headers: { ...shop.auth, 'if-match': '"1"' } });
    expect(gone.statusCode).toBe(412);
    expect(await versions(shop, id)).toEqual([1, 2]);
    const read = await t.app.inject({ method: 'GET', url: `/v1/rules/${id}`, headers: shop.auth });
    expect(read.json()).toMatchObject({ name: 'second', version: 2, active: true });

    // Without If-Match, or with the current version, both go through.
    expect((await putRule(shop, id, 'third')).statusCode).toBe(200);
    const deleted = await t.app.inject({ method: 'DELETE', url: `/v1/rules/${id}`, headers: { ...shop.auth, 'if-match': '"3"' } });
    expect(deleted.statusCode).toBe(204);
    expect(await versions(shop, id)).toEqual([1, 2, 3, 4]);
  });

  it('lets exactly one of concurrent replacements naming the same version through', async () => {
    const shop = await createShop(t.app);
    const id = await createRule(shop);
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => putRule(shop, id, `v${i}`, { 'if-match': '"1"' })));
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, ...Array(9).fill(412)]);
    expect(await versions(shop, id)).toEqual([1, 2]);
  });
});

describe('caches after a change in a request transaction', () => {
  it('shows the new program at once, even when a read cached the old one before the commit', async () => {
    const shop = await createShop(t.app);
    expect((await getProgram(shop)).json().pendingDays).toBe(14);
    const finish = await holdAfterHandler(() => putProgram(shop, { pendingDays: 40 }, { 'idempotency-key': 'cache-1', 'x-test-pause': '1' }));
    // Meanwhile another request reads the settings as committed, and caches them.
    expect((await getProgram(shop)).json().pendingDays).toBe(14);
    expect((await finish()).statusCode).toBe(200);
    expect((await getProgram(shop)).json().pendingDays).toBe(40);
  });

  it('gives awards the new rules at once, even when an award cached the old ones before the commit', async () => {
    const shop = await createShop(t.app);
    const rule = { name: 'x2', conditions: {}, effect: { multiplier: 2, per: 'line' } };
    const created = await t.app.inject({ method: 'POST', url: '/v1/rules', headers: shop.auth, payload: rule });
    const id = created.json().id as string;
    expect((await t.container.rules.forEarning(shop.id)).map((r) => r.version)).toEqual([1]);
    const finish = await holdAfterHandler(() =>
      t.app.inject({
        method: 'PUT',
        url: `/v1/rules/${id}`,
        headers: { ...shop.auth, 'idempotency-key': 'cache-2', 'x-test-pause': '1' },
        payload: { ...rule, name: 'x3', effect: { multiplier: 3, per: 'line' } },
      }),
    );
    expect((await t.container.rules.forEarning(shop.id)).map((r) => r.version)).toEqual([1]);
    expect((await finish()).statusCode).toBe(200);
    expect((await t.container.rules.forEarning(shop.id)).map((r) => r.version)).toEqual([2]);
  });
});
