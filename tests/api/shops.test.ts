import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('POST /v1/admin/shops', () => {
  it('creates a shop and shows its key and secret once', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/shops',
      headers: admin,
      payload: { name: 'Sklep Ani', currency: 'PLN', timezone: 'Europe/Warsaw' },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.shop).toMatchObject({ name: 'Sklep Ani', currency: 'PLN', timezone: 'Europe/Warsaw' });
    expect(body.shop.id).toMatch(/^shop_[0-9a-z]{26}$/);
    expect(body.apiKey).toMatch(/^lj_sk_[A-Za-z0-9_-]{43}$/); // 256 random bits
    expect(body.webhookSecret).toMatch(/^lj_whsec_[A-Za-z0-9_-]{43}$/);

    // D20: neither is stored in the clear.
    const stored = await t.container.database.pool.query(
      `SELECT k.key_hash, s.secret_enc FROM api_keys k JOIN webhook_secrets s USING (shop_id) WHERE shop_id = $1`,
      [body.shop.id],
    );
    expect(stored.rows).toHaveLength(1);
    expect(JSON.stringify(stored.rows)).not.toContain(body.apiKey.slice(6));
    expect(JSON.stringify(stored.rows)).not.toContain(body.webhookSecret.slice(9));
    expect(await t.container.shops.webhookSecrets(body.shop.id)).toEqual([body.webhookSecret]);
  });

  it('lists every invalid field and writes nothing', async () => {
    const before = await t.container.database.pool.query('SELECT count(*)::int AS n FROM shops');
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/shops',
      headers: admin,
      payload: { name: '   ', currency: 'XYZ', timezone: 'Mars/Olympus' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json();
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual(['/currency', '/name', '/timezone']);
    const after = await t.container.database.pool.query('SELECT count(*)::int AS n FROM shops');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses a missing body field at the schema', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/v1/admin/shops', headers: admin, payload: { name: 'x' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ field: '/currency', message: expect.any(String) }]);
  });

  it.each([
    ['no header', {}],
    ['a shop key', null],
    ['a wrong token', { authorization: 'Bearer not-the-operator-token-at-all' }],
  ])('refuses %s with 401', async (_label, headers) => {
    const shop = await createShop(t.app);
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/shops',
      headers: headers ?? shop.auth,
      payload: { name: 'x', currency: 'PLN' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('unauthorized');
  });
});

describe('shop keys (D20)', () => {
  it('resolves the shop from its key, and only its own', async () => {
    const a = await createShop(t.app, { name: 'A' });
    const b = await createShop(t.app, { name: 'B', currency: 'EUR' });
    const seenByA = await t.app.inject({ method: 'GET', url: '/v1/shop', headers: a.auth });
    const seenByB = await t.app.inject({ method: 'GET', url: '/v1/shop', headers: b.auth });
    expect(seenByA.json()).toMatchObject({ id: a.id, name: 'A', currency: 'PLN' });
    expect(seenByB.json()).toMatchObject({ id: b.id, name: 'B', currency: 'EUR' });
    // A's key on B's operator view is still just an unauthorised caller.
    const cross = await t.app.inject({ method: 'GET', url: `/v1/admin/shops/${b.id}`, headers: a.auth });
    expect(cross.statusCode).toBe(401);
    expect(cross.body).not.toContain('"B"');
  });

  it.each([
    ['missing', undefined],
    ['malformed', 'lj_sk_abc'],
    ['not bearer', 'Basic dXNlcjpwYXNz'],
    ['wrong', `Bearer lj_sk_${'A'.repeat(43)}`],
    ['empty bearer', 'Bearer '],
  ])('answers a %s key with 401 problem+json', async (_label, authorization) => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/v1/shop',
      headers: authorization === undefined ? {} : { authorization },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'unauthorized', status: 401, title: 'Unauthorized' });
  });

  it('stops a revoked key at once', async () => {
    const shop = await createShop(t.app);
    const detail = await t.app.inject({ method: 'GET', url: `/v1/admin/shops/${shop.id}`, headers: admin });
    const [key] = detail.json().apiKeys;
    expect(key.prefix).toBe(shop.apiKey.slice(0, 12));
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/v1/admin/shops/${shop.id}/api-keys/${key.id}`,
      headers: admin,
    });
    expect(revoked.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/v1/shop', headers: shop.auth });
    expect(after.statusCode).toBe(401);
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/v1/admin/shops/${shop.id}/api-keys/${key.id}`,
      headers: admin,
    });
    expect(again.statusCode).toBe(404);
  });

  it('rotates with a 24 h overlap: old and new keys both work, old ones expire', async () => {
    const shop = await createShop(t.app);
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/shops/${shop.id}/rotate-secrets`,
      headers: admin,
      payload: {},
    });
    expect(response.statusCode).toBe(200);
    const rotated = response.json();
    const hours = (Date.parse(rotated.previousExpireAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    for (const key of [shop.apiKey, rotated.apiKey]) {
      const r = await t.app.inject({ method: 'GET', url: '/v1/shop', headers: { authorization: `Bearer ${key}` } });
      expect(r.statusCode).toBe(200);
    }
    expect(await t.container.shops.webhookSecrets(shop.id)).toEqual([rotated.webhookSecret, shop.webhookSecret]);
  });

  it('rotates with no overlap: the old key stops now', async () => {
    const shop = await createShop(t.app);
    const rotated = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/shops/${shop.id}/rotate-secrets`,
      headers: admin,
      payload: { overlapHours: 0 },
    });
    expect(rotated.statusCode).toBe(200);
    const old = await t.app.inject({ method: 'GET', url: '/v1/shop', headers: shop.auth });
    expect(old.statusCode).toBe(401);
    expect(await t.container.shops.webhookSecrets(shop.id)).toEqual([rotated.json().webhookSecret]);
  });

  it('answers 404 for rotating an unknown shop', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/shops/shop_nope/rotate-secrets',
      headers: admin,
      payload: {},
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('not_found');
  });
});

describe('secrets at rest with an Idempotency-Key (D15, D20)', () => {
  /** The stored response of the operator's key, exactly as the table holds it. */
  const storedRow = async (key: string) =>
    (await t.container.database.pool.query(`SELECT * FROM idempotency_keys WHERE shop_id = 'operator' AND key = $1`, [key])).rows[0];

  function expectSealed(row: Record<string, unknown>, secrets: string[]) {
    expect(row.status_code).toBeGreaterThan(0);
    const text = JSON.stringify(row);
    // Neither secret, nor its random part, is in the row: the body is sealed, not plain JSON.
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.replace(/^lj_(sk|whsec)_/, ''));
    }
    expect(String(row.body)).toMatch(/^v1\./);
  }

  it('stores a created shop encrypted and replays the same key and secret', async () => {
    const request = { method: 'POST' as const, url: '/v1/admin/shops', headers: { ...admin, 'idempotency-key': 'create-sealed-1' }, payload: { name: 'Sealed', currency: 'PLN' } };
    const first = await t.app.inject(request);
    expect(first.statusCode).toBe(201);
    const created = first.json();
    expectSealed(await storedRow('create-sealed-1'), [created.apiKey, created.webhookSecret]);

    const replay = await t.app.inject(request);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(created);
    const shops = await t.container.database.pool.query(`SELECT count(*)::int AS n FROM shops WHERE name = 'Sealed'`);
    expect(shops.rows[0].n).toBe(1);
    const works = await t.app.inject({ method: 'GET', url: '/v1/shop', headers: { authorization: `Bearer ${replay.json().apiKey}` } });
    expect(works.json().id).toBe(created.shop.id);
  });

  it('stores a rotation encrypted and replays the same key and secret', async () => {
    const shop = await createShop(t.app);
    const request = {
      method: 'POST' as const,
      url: `/v1/admin/shops/${shop.id}/rotate-secrets`,
      headers: { ...admin, 'idempotency-key': `rotate-sealed-${shop.id}` },
      payload: {},
    };
    const first = await t.app.inject(request);
    expect(first.statusCode).toBe(200);
    const rotated = first.json();
    expectSealed(await storedRow(`rotate-sealed-${shop.id}`), [rotated.apiKey, rotated.webhookSecret]);

    const replay = await t.app.inject(request);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(rotated);
    expect(await t.container.shops.webhookSecrets(shop.id)).toEqual([rotated.webhookSecret, shop.webhookSecret]);
  });
});
