import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { cleanEnv, run } from '../helpers/processes.ts';

let url: string;
let t: TestApp;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  url = await createTestDatabase();
  t = await buildTestApp({ databaseUrl: url });
  env = cleanEnv({
    DATABASE_URL: url,
    LOJAL_SECRET_KEY: t.config.secretKey.toString('hex'),
    LOJAL_DATA_DIR: '/nonexistent-lojal-data',
  });
});
afterAll(() => t.close());

const lojal = (...args: string[]) => run('node', ['bin/lojal.js', ...args], env);

describe('lojal ledger check', () => {
  it('reports a clean ledger with exit 0, and a tampered one with exit 1', async () => {
    const created = JSON.parse((await lojal('shops', 'create', '--name', 'L', '--currency', 'PLN', '--json')).stdout);
    const auth = { authorization: `Bearer ${created.apiKey}` };
    await t.app.inject({ method: 'PUT', url: '/v1/members/m1', headers: auth, payload: {} });
    await t.app.inject({ method: 'POST', url: '/v1/members/m1/adjustments', headers: auth, payload: { points: 9, reason: 'x' } });
    const clean = await lojal('ledger', 'check', '--shop', created.shop.id);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('1 members checked: no differences');

    await t.container.database.pool.query(`UPDATE members SET available = 10 WHERE shop_id = $1`, [created.shop.id]);
    const dirty = await lojal('ledger', 'check', '--shop', created.shop.id, '--json');
    expect(dirty.code).toBe(1);
    expect(JSON.parse(dirty.stdout).differences).toContainEqual(
      expect.objectContaining({ customerId: 'm1', check: 'available', expected: 9, actual: 10 }),
    );
    // Put it back, so the after-file check of this database passes.
    await t.container.database.pool.query(`UPDATE members SET available = 9 WHERE shop_id = $1`, [created.shop.id]);
  });
});

describe('lojal shops', () => {
  it('create prints a key that authenticates against the API', async () => {
    const result = await lojal('shops', 'create', '--name', 'CLI shop', '--currency', 'EUR', '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const created = JSON.parse(result.stdout);
    expect(created.shop).toMatchObject({ name: 'CLI shop', currency: 'EUR' });
    const response = await t.app.inject({
      method: 'GET',
      url: '/v1/shop',
      headers: { authorization: `Bearer ${created.apiKey}` },
    });
    expect(response.json()).toMatchObject({ id: created.shop.id, name: 'CLI shop' });
    // The secret was sealed with the same LOJAL_SECRET_KEY the API uses.
    expect(await t.container.shops.webhookSecrets(created.shop.id)).toEqual([created.webhookSecret]);
  });

  it('create without --json prints the key once, for a person', async () => {
    const result = await lojal('shops', 'create', '--name', 'Plain', '--currency', 'PLN');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^shop created: shop_\w+ \(Plain, PLN\)$/m);
    expect(result.stdout).toMatch(/^api key: +lj_sk_[\w-]{43}$/m);
  });

  it('rotate gives a new key and keeps the old one working for the overlap', async () => {
    const created = JSON.parse((await lojal('shops', 'create', '--name', 'R', '--currency', 'PLN', '--json')).stdout);
    const started = Date.now();
    const rotated = await lojal('shops', 'rotate', created.shop.id, '--overlap-hours', '1', '--json');
    expect(rotated.code).toBe(0);
    const { apiKey, webhookSecret, previousExpireAt } = JSON.parse(rotated.stdout);
    expect(apiKey).not.toBe(created.apiKey);
    // The overlap is the hour asked for, counted from the rotation.
    expect(Date.parse(previousExpireAt)).toBeGreaterThanOrEqual(started + 3_600_000);
    expect(Date.parse(previousExpireAt)).toBeLessThanOrEqual(Date.now() + 3_600_000);
    // During the overlap the old key and the new one both authenticate, as the same shop; both secrets are live.
    for (const key of [created.apiKey, apiKey]) {
      const response = await t.app.inject({ method: 'GET', url: '/v1/shop', headers: { authorization: `Bearer ${key}` } });
      expect(response.statusCode).toBe(200);
      expect(response.json().id).toBe(created.shop.id);
    }
    expect(await t.container.shops.webhookSecrets(created.shop.id)).toEqual([webhookSecret, created.webhookSecret]);
  });

  it('rotate with --overlap-hours 0 stops the old key at once', async () => {
    const created = JSON.parse((await lojal('shops', 'create', '--name', 'R0', '--currency', 'PLN', '--json')).stdout);
    const rotated = await lojal('shops', 'rotate', created.shop.id, '--overlap-hours', '0', '--json');
    expect(rotated.code).toBe(0);
    const { apiKey } = JSON.parse(rotated.stdout);
    const as = (key: string) => t.app.inject({ method: 'GET', url: '/v1/shop', headers: { authorization: `Bearer ${key}` } });
    expect((await as(created.apiKey)).statusCode).toBe(401);
    expect((await as(apiKey)).statusCode).toBe(200);
  });

  it('reports bad input with a clear message and a non-zero exit', async () => {
    const invalid = await lojal('shops', 'create', '--name', 'X', '--currency', 'ZZZ');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('validation_failed');
    const usage = await lojal('shops', 'create', '--name', 'X');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--currency');
    const unknown = await lojal('nonsense');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('usage:');
  });

  it('says what is missing when the environment is incomplete', async () => {
    const result = await run('node', ['bin/lojal.js', 'shops', 'create', '--name', 'X', '--currency', 'PLN'], {
      ...env,
      LOJAL_SECRET_KEY: '',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('LOJAL_SECRET_KEY is required');
  });
});

describe('lojal import', () => {
  it('imports an NDJSON file of any length for a shop, numbering errors by file line, and again finds only duplicates', async () => {
    const created = JSON.parse((await lojal('shops', 'create', '--name', 'I', '--currency', 'PLN', '--json')).stdout);
    const auth = { authorization: `Bearer ${created.apiKey}` };
    // More lines than one request takes (10,000): the command sends the file in parts, numbering lines in the file.
    const lines = Array.from({ length: 10_003 }, (_, i) => JSON.stringify({ customerId: `c${i % 3}`, points: 1, reference: `r${i}` }));
    lines.splice(1, 0, '{"customerId": "c9",');
    lines.splice(10_003, 0, '', '{"customerId": "c9", "points": 0, "reference": "zero"}');
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'lojal-import-')), 'points.ndjson');
    await writeFile(file, `${lines.join('\r\n')}\r\n`);

    const first = await lojal('import', '--shop', created.shop.id, '--file', file);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toContain('10003 applied, 0 duplicates, 3 members created, 2 errors');
    expect(first.stdout).toContain('line 2: invalid_json: The line is not valid JSON');
    expect(first.stdout).toContain('line 10005: validation_failed: /points: must be from 1 to 9007199254740991');
    const member = (await t.app.inject({ method: 'GET', url: '/v1/members/c1', headers: auth })).json();
    expect(member.balance.available).toBe(3_334);
    const activity = (await t.app.inject({ method: 'GET', url: '/v1/members/c1/activity?limit=1', headers: auth })).json();
    expect(activity.data[0]).toMatchObject({ kind: 'import', actor: 'operator' });

    const again = JSON.parse((await lojal('import', '--shop', created.shop.id, '--file', file, '--json')).stdout);
    expect(again).toMatchObject({ applied: 0, duplicates: 10_003, membersCreated: 0 });
    expect(again.errors).toHaveLength(2);
    // 10,003 postings (one per line) and two processes: seconds alone, far more beside the rest of the suite.
  }, 120_000);

  it('refuses an unknown shop and a missing option', async () => {
    const unknown = await lojal('import', '--shop', 'shop_nope', '--file', '/dev/null');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('not_found');
    const usage = await lojal('import', '--shop', 'shop_nope');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--file');
  });
});
