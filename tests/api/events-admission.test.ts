import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';

// D21: a storefront cannot always retry, so its signed events are never refused for volume, and they do not use up
// its key's share of the general limit, which its checkout calls (quote, hold, commit) need. Failed signatures are
// limited per shop.
const RATE_LIMIT = 20;
const SIGNATURE_FAILURES = 5;
let t: TestApp;
let shop: TestShop;
beforeAll(async () => {
  t = await buildTestApp({
    env: { RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT), RATE_LIMIT_BURST: String(RATE_LIMIT), AUTH_FAILURES_PER_MINUTE: String(SIGNATURE_FAILURES) },
  });
  shop = await createShop(t.app);
});
afterAll(() => t.close());

const placed = (i: number) => envelope('order.placed', { order: order(`adm-${i}`, { customerId: `c${i % 7}`, email: `c${i % 7}@example.com` }) });

describe('signed storefront events', () => {
  it('three times the per-key limit of events in a minute: all 202, and the same key still gets its own calls', async () => {
    const answers = await Promise.all(Array.from({ length: RATE_LIMIT * 3 }, (_, i) => sendEvent(t.app, shop, placed(i))));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(RATE_LIMIT * 3).fill(202));
    // The events took nothing from the key's general limit: its other calls are served up to the limit, then 429.
    const calls = [];
    for (let i = 0; i < RATE_LIMIT + 1; i++) calls.push(await t.app.inject({ method: 'GET', url: '/v1/shop', headers: shop.auth }));
    expect(calls.slice(0, RATE_LIMIT).every((c) => c.statusCode === 200)).toBe(true);
    const over = calls[RATE_LIMIT]!;
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('wrong signatures are limited per shop: 401 up to the limit, then 429 with Retry-After; another shop is not held up', async () => {
    const mine = await createShop(t.app);
    const other = await createShop(t.app);
    const wrong = [];
    for (let i = 0; i < SIGNATURE_FAILURES + 2; i++) wrong.push(await sendEvent(t.app, mine, placed(100 + i), { secret: 'lj_whsec_not-the-secret' }));
    expect(wrong.slice(0, SIGNATURE_FAILURES).map((r) => r.statusCode)).toEqual(Array(SIGNATURE_FAILURES).fill(401));
    expect(wrong.slice(SIGNATURE_FAILURES).map((r) => r.statusCode)).toEqual([429, 429]);
    const refused = wrong[SIGNATURE_FAILURES]!;
    expect(refused.json().code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The same address, another shop with its right secret.
    expect((await sendEvent(t.app, other, placed(200))).statusCode).toBe(202);
    const orders = await t.app.inject({ method: 'GET', url: '/v1/orders/adm-100', headers: mine.auth });
    expect(orders.statusCode).toBe(404);
  });
});
