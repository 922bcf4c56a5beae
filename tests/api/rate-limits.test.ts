import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { adjust, putMember } from '../helpers/members.ts';
import { expectEveryRefusalWellFormed } from '../helpers/rate-limits.ts';

// D21: one smooth budget per key and purpose, shared by every API process through Redis; a 429 says when to retry.

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});
afterAll(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function appWith(env: Record<string, string>, options: { databaseUrl?: string } = {}): Promise<TestApp> {
  const t = await buildTestApp({ env, ...options });
  apps.push(t);
  return t;
}

const getShop = (t: TestApp, shop: TestShop) => t.app.inject({ method: 'GET', url: '/v1/shop', headers: shop.auth });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Spends the key's `api` budget: GET /v1/shop until it is refused. */
async function exhaustApi(t: TestApp, shop: TestShop): Promise<LightMyRequestResponse> {
  for (let i = 0; i < 100; i++) {
    const response = await getShop(t, shop);
    if (response.statusCode === 429) return response;
  }
  throw new Error('the api budget was never spent');
}

describe('a smooth budget (GCRA, not a fixed window)', () => {
  it('never refuses a client at a steady rate just under its limit, right after it spent its whole burst', { timeout: 20_000 }, async () => {
    // 20 a second with a burst of 10: the budget is whole again within 0.5 s, so 3.5 s is seven such windows.
    const t = await appWith({ RATE_LIMIT_PER_MINUTE: '1200', RATE_LIMIT_BURST: '10' });
    const shop = await createShop(t.app);
    const answers = await Promise.all(Array.from({ length: 10 }, () => getShop(t, shop)));
    const start = performance.now();
    for (let i = 1; i <= 63; i++) {
      await sleep(start + (i * 1000) / 18 - performance.now()); // 18 a second: 10% under the rate
      answers.push(await getShop(t, shop));
    }
    expect(answers.filter((r) => r.statusCode !== 200).map((r) => r.statusCode)).toEqual([]);
    expect(answers[0]!.headers).toMatchObject({ 'ratelimit-limit': '10' });
    // The limit is live: a burst now is refused past what the budget holds.
    const after = await Promise.all(Array.from({ length: 15 }, () => getShop(t, shop)));
    expect(after.filter((r) => r.statusCode === 429).length).toBeGreaterThanOrEqual(4);
    expectEveryRefusalWellFormed(after);
  });
});

describe('replicas', () => {
  it('two API processes on one Redis draw on one budget per key', async () => {
    const env = { RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '10' };
    const a = await appWith(env);
    const b = await appWith({ ...env, QUEUE_PREFIX: a.config.queuePrefix, LOJAL_SECRET_KEY: a.config.secretKey.toString('hex') }, { databaseUrl: a.config.databaseUrl });
    const shop = await createShop(a.app);
    const answers: LightMyRequestResponse[] = [];
    for (let i = 0; i < 20; i++) answers.push(await getShop(i % 2 ? b : a, shop));
    const served = answers.filter((r) => r.statusCode === 200).length;
    // 10 at once and one a second: in memory each process would serve 10 (20 in all).
    expect(served).toBeGreaterThanOrEqual(10);
    expect(served).toBeLessThanOrEqual(11);
    expect(answers.slice(-4).map((r) => r.statusCode)).toEqual([429, 429, 429, 429]);
    expectEveryRefusalWellFormed(answers);
  });
});

describe('budgets per purpose', () => {
  it('the operator token has one api budget of its own, apart from every shop key\'s; answers say what is left', async () => {
    const t = await appWith({ RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '6' });
    const [a, b] = [await createShop(t.app), await createShop(t.app)]; // two of the operator's six
    const readShop = () => t.app.inject({ method: 'GET', url: `/v1/admin/shops/${a.id}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    // Shop a's budget spent: the operator's is not touched by it.
    await exhaustApi(t, a);
    const answers: LightMyRequestResponse[] = [];
    for (let i = 0; i < 7; i++) answers.push(await readShop());
    expect(answers[0]!.statusCode).toBe(200);
    expect(answers[0]!.headers['ratelimit-limit']).toBe('6');
    const remaining = answers.filter((r) => r.statusCode === 200).map((r) => Number(r.headers['ratelimit-remaining']));
    expect(remaining.length).toBeGreaterThanOrEqual(3);
    expect(remaining).toEqual([...remaining].sort((x, y) => y - x)); // counting down
    expect(answers.at(-1)!.statusCode).toBe(429);
    expectEveryRefusalWellFormed(answers);
    // The operator's spent too: shop b's key has its own whole budget.
    expect((await getShop(t, b)).statusCode).toBe(200);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(Number(/lojal_rate_limited_total\{budget="api"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
  });


  it('serves checkout calls while the same key has spent its api budget; its signed events are never limited', async () => {
    const t = await appWith({ RATE_LIMIT_PER_MINUTE: '6', RATE_LIMIT_BURST: '8' });
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'c1');
    expect((await adjust(t.app, shop, 'c1', { points: 1_000 })).statusCode).toBeLessThan(300);
    const refused = await exhaustApi(t, shop);
    expectEveryRefusalWellFormed([refused]);

    const post = (url: string, payload?: object) => t.app.inject({ method: 'POST', url, headers: shop.auth, ...(payload ? { payload } : {}) });
    const line = { id: '1', productId: 'p1', sku: 'S1', categories: [], quantity: 1, unitPrice: 10_000 };
    const earning = await post('/v1/earning/quote', { customerId: 'c1', lines: [line] });
    const quote = await post('/v1/redemptions/quote', { customerId: 'c1', orderTotal: { amount: 10_000, currency: 'PLN' } });
    const held = await post('/v1/redemptions', { customerId: 'c1', points: 100 });
    const committed = await post(`/v1/redemptions/${held.json().id}/commit`, { orderId: 'o-1' });
    const second = await post('/v1/redemptions', { customerId: 'c1', points: 100 });
    const released = await post(`/v1/redemptions/${second.json().id}/cancel`);
    expect([earning, quote, held, committed, second, released].map((r) => r.statusCode)).toEqual([200, 200, 201, 200, 201, 200]);
    expect(earning.headers['ratelimit-limit']).toBe('400'); // the checkout budget's burst (2 s of 12 000 a minute)

    // The api budget is still spent (one request every 10 s comes back), and signed events go through regardless.
    expect((await getShop(t, shop)).statusCode).toBe(429);
    const events = await Promise.all(Array.from({ length: 30 }, (_, i) => sendEvent(t.app, shop, envelope('order.placed', { order: order(`ev-${i}`) }))));
    expect(events.map((r) => r.statusCode)).toEqual(Array(30).fill(202));
  });
});

describe('Retry-After and the exempt routes', () => {
  it('Retry-After is when the next request is allowed, per key and per address without one', { timeout: 15_000 }, async () => {
    const t = await appWith({ RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '1', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '6', RATE_LIMIT_ANONYMOUS_BURST: '1' });
    const shop = await createShop(t.app);
    expect((await getShop(t, shop)).statusCode).toBe(200);
    const refused = await getShop(t, shop);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    await sleep(1_000);
    expect((await getShop(t, shop)).statusCode).toBe(200);

    // Without a key: the address's budget, one request every 10 s.
    const unsubscribe = (remoteAddress: string) => t.app.inject({ method: 'GET', url: '/v1/unsubscribe?token=x', remoteAddress });
    expect((await unsubscribe('10.3.0.1')).statusCode).toBe(400);
    const anonymous = await unsubscribe('10.3.0.1');
    expectEveryRefusalWellFormed([anonymous]);
    expect(Number(anonymous.headers['retry-after'])).toBeGreaterThanOrEqual(9);
    expect(Number(anonymous.headers['retry-after'])).toBeLessThanOrEqual(10);
    expect((await unsubscribe('10.3.0.2')).statusCode).toBe(400); // another address, its own budget

    // Health, readiness and metrics are never counted.
    for (const url of ['/healthz', '/readyz', '/metrics']) {
      for (let i = 0; i < 5; i++) expect((await t.app.inject({ method: 'GET', url, remoteAddress: '10.3.0.1' })).statusCode, url).toBe(200);
    }
  });
});
