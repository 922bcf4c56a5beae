import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../services/core/common/clock.ts';
import { createShopCredentials } from '../../services/core/shops/shop-credentials.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';

// Failed authentications are limited per client address, before any lookup; unknown keys are cached briefly.

const LIMIT = 5;
let t: TestApp;
let shop: TestShop;
/** Statements on api_keys that went to the pool: every key lookup. */
let keyLookups = 0;

beforeAll(async () => {
  t = await buildTestApp({ env: { AUTH_FAILURES_PER_MINUTE: String(LIMIT) } });
  const pool = t.container.database.pool;
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    if (/from "api_keys"/i.test(text)) keyLookups++;
    return query(...args);
  };
  shop = await createShop(t.app);
});
afterAll(() => t.close());

let next = 1;
/** A client address of its own for each test. */
const newAddress = () => `10.1.${Math.floor(next / 250)}.${next++ % 250}`;
const badKey = () => `lj_sk_${randomBytes(32).toString('base64url')}`;
const getShop = (remoteAddress: string, authorization: string) =>
  t.app.inject({ method: 'GET', url: '/v1/shop', remoteAddress, headers: { authorization } });
const getAdmin = (remoteAddress: string, token: string) =>
  t.app.inject({ method: 'GET', url: `/v1/admin/shops/${shop.id}`, remoteAddress, headers: { authorization: `Bearer ${token}` } });

describe('failed authentication is limited per address', () => {
  it('answers 429 with Retry-After past the limit, and serves a valid key from another address meanwhile', async () => {
    const attacker = newAddress();
    for (let i = 0; i < LIMIT; i++) expect((await getShop(attacker, `Bearer ${badKey()}`)).statusCode).toBe(401);
    const refused = await getShop(attacker, `Bearer ${badKey()}`);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // No key and a malformed header are failures too.
    expect((await t.app.inject({ method: 'GET', url: '/v1/shop', remoteAddress: attacker })).statusCode).toBe(429);

    const other = newAddress();
    const served = await getShop(other, shop.auth.authorization);
    expect(served.statusCode).toBe(200);
    expect(served.json().id).toBe(shop.id);
    expect((await getShop(other, `Bearer ${badKey()}`)).statusCode).toBe(401); // its own count
  });

  it('looks nothing up for a blocked address', async () => {
    const attacker = newAddress();
    for (let i = 0; i < LIMIT; i++) await getShop(attacker, `Bearer ${badKey()}`);
    const before = keyLookups;
    for (let i = 0; i < 20; i++) expect((await getShop(attacker, `Bearer ${badKey()}`)).statusCode).toBe(429);
    expect(keyLookups - before).toBe(0);
  });

  it('counts only failures: a storefront calling often is never limited, and its key passes a block of its address', async () => {
    const storefront = newAddress();
    for (let i = 0; i < LIMIT * 4; i++) expect((await getShop(storefront, shop.auth.authorization)).statusCode).toBe(200);
    // Another client behind the same address (a shared host, a proxy) fails until the address is blocked...
    for (let i = 0; i < LIMIT; i++) await getShop(storefront, `Bearer ${badKey()}`);
    expect((await getShop(storefront, `Bearer ${badKey()}`)).statusCode).toBe(429);
    // ...and the key that authenticated before still does.
    expect((await getShop(storefront, shop.auth.authorization)).statusCode).toBe(200);
  });

  it('limits the operator token the same way, with no pass for the right token while blocked', async () => {
    const attacker = newAddress();
    for (let i = 0; i < LIMIT; i++) expect((await getAdmin(attacker, `wrong-token-${i}-0123456789abcdef`)).statusCode).toBe(401);
    const refused = await getAdmin(attacker, 'wrong-token-x-0123456789abcdef');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Answering the right token now would tell a guesser when it guessed right.
    expect((await getAdmin(attacker, ADMIN_TOKEN)).statusCode).toBe(429);
    expect((await getAdmin(newAddress(), ADMIN_TOKEN)).statusCode).toBe(200);
    // Operator failures and shop-key failures are counted apart.
    expect((await getShop(attacker, shop.auth.authorization)).statusCode).toBe(200);
  });
});

describe('unknown keys are cached briefly', () => {
  it('looks a repeated unknown key up once', async () => {
    const client = newAddress();
    const key = badKey();
    const before = keyLookups;
    for (let i = 0; i < 3; i++) expect((await getShop(client, `Bearer ${key}`)).statusCode).toBe(401);
    expect(keyLookups - before).toBe(1);
  });

  it('keeps unknown keys from pushing known ones out of the cache', async () => {
    const credentials = createShopCredentials({ database: t.container.database, clock: systemClock, secretKey: t.config.secretKey, cacheEntries: 3 });
    expect(await credentials.authenticate(shop.apiKey)).toMatchObject({ shopId: shop.id });
    for (let i = 0; i < 10; i++) expect(await credentials.authenticate(badKey())).toBeNull();
    const before = keyLookups;
    expect(await credentials.authenticate(shop.apiKey)).toMatchObject({ shopId: shop.id });
    expect(keyLookups - before).toBe(0);
  });
});
