import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { wcSignature } from '../../services/core/woocommerce/wc-signature.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { deliver, ping, wcOrder } from '../helpers/woocommerce.ts';

// D21: WooCommerce never sends a delivery again and disables a webhook after repeated failures, so a valid signed
// delivery is never refused for volume; unsigned and failed-signature traffic stays limited.
const RATE_LIMIT = 50;
const AUTH_FAILURES = 5;
const clock = fixedClock('2026-11-20T15:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({
    clock,
    env: {
      DATABASE_POOL_MAX: '4',
      RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      RATE_LIMIT_BURST: String(RATE_LIMIT),
      // The ping has no key: the budget of its address.
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(RATE_LIMIT),
      RATE_LIMIT_ANONYMOUS_BURST: String(RATE_LIMIT),
      AUTH_FAILURES_PER_MINUTE: String(AUTH_FAILURES),
    },
  });
});
afterAll(() => t.close());

let next = 1;
const newAddress = () => `10.2.${Math.floor(next / 250)}.${next++ % 250}`;

/** Order `id` of one of 40 customers (every tenth a guest), completed, 10.00 to 59.00. */
function completedOrder(id: number) {
  const guest = id % 10 === 0;
  const price = `${10 + (id % 50)}.00`;
  return wcOrder({
    id, status: 'completed', customerId: guest ? 0 : 1 + (id % 40), email: guest ? `guest${id % 7}@example.com` : `c${id % 40}@example.com`,
    lines: [{ id: 1, productId: 11, quantity: 1, subtotal: price, total: price }], total: price,
    created: '2026-11-20T10:00:00', modified: '2026-11-20T10:02:00', paid: '2026-11-20T10:01:00', completed: '2026-11-20T10:02:00',
  });
}

describe('a burst from one shop', () => {
  it('500 deliveries at once, from one address, over the rate limit: all 200, every order awarded once', { timeout: 120_000 }, async () => {
    const shop = await createShop(t.app, { currency: 'USD' });
    const address = newAddress();
    // 250 orders, each delivered twice (order.created and order.updated carry the same completed order).
    const sends = Array.from({ length: 500 }, (_, i) => {
      const id = 1000 + Math.floor(i / 2);
      return deliver(t.app, shop.id, i % 2 ? 'order.updated' : 'order.created', completedOrder(id), { secret: shop.webhookSecret, remoteAddress: address });
    });
    // The burst waits in the delivery queue, not in the database pool: half the pool stays free for the rest of the
    // API, and nothing waits there long enough for the pool's 5 s limit to fail it.
    const pool = t.container.database.pool;
    let mostWaiting = 0;
    const sampler = setInterval(() => (mostWaiting = Math.max(mostWaiting, pool.waitingCount)), 2);
    const started = performance.now();
    const responses = await Promise.all(sends);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    expect(mostWaiting).toBe(0);
    const codes = new Map<number, number>();
    for (const r of responses) codes.set(r.statusCode, (codes.get(r.statusCode) ?? 0) + 1);
    expect(Object.fromEntries(codes)).toEqual({ 200: 500 });
    // Each event a delivery stands for (order.paid, order.completed) was applied by one of its two deliveries.
    const applied = new Map<string, number>();
    for (const r of responses) {
      for (const e of r.json().events as { id: string; status: string }[]) applied.set(e.id, (applied.get(e.id) ?? 0) + (e.status === 'applied' ? 1 : 0));
    }
    expect(applied.size).toBe(500);
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    console.info(`500 WooCommerce deliveries (250 orders) in ${seconds.toFixed(2)} s, database pool of 4`);

    const orders = await pool.query(`SELECT count(*)::int AS n, sum(award_points)::int AS points FROM orders WHERE shop_id = $1 AND award_status = 'pending'`, [shop.id]);
    const expectedPoints = Array.from({ length: 250 }, (_, i) => 10 + ((1000 + i) % 50)).reduce((a, b) => a + b, 0);
    expect(orders.rows[0]).toEqual({ n: 250, points: expectedPoints });
    // Each award is one earn entry (members' orders; guests' wait unclaimed), and the balances add up.
    const earned = await pool.query(`SELECT count(*)::int AS n, count(DISTINCT order_id)::int AS orders FROM ledger_entries WHERE shop_id = $1 AND kind = 'earn'`, [shop.id]);
    expect(earned.rows[0].n).toBe(earned.rows[0].orders);
    const members = await pool.query(`SELECT sum(pending)::int AS pending FROM members WHERE shop_id = $1`, [shop.id]);
    const guests = await pool.query(`SELECT sum(award_points)::int AS points FROM orders WHERE shop_id = $1 AND member_id IS NULL`, [shop.id]);
    expect(members.rows[0].pending + guests.rows[0].points).toBe(expectedPoints);
    const events = await pool.query(`SELECT count(*)::int AS n FROM inbound_events WHERE shop_id = $1`, [shop.id]);
    expect(events.rows[0].n).toBe(500); // order.paid and order.completed of each order, once each
  });

  it('waits out a moment without database connections instead of failing the delivery', { timeout: 30_000 }, async () => {
    const shop = await createShop(t.app, { currency: 'USD' });
    const pool = t.container.database.pool;
    // Every connection taken by something else for longer than the pool lets a caller wait (5 s): a failover, a
    // stuck job. The shop's secret is not cached either: the signature check waits too.
    const held = await Promise.all(Array.from({ length: 4 }, () => pool.connect()));
    const started = performance.now();
    const pending = deliver(t.app, shop.id, 'order.updated', completedOrder(5001), { secret: shop.webhookSecret, remoteAddress: newAddress() });
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    for (const client of held) client.release();
    const response = await pending;
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().status).toBe('applied');
    expect(performance.now() - started).toBeGreaterThan(6_000);
  });

  it('still limits unsigned traffic on the route: pings past the rate limit get 429 with Retry-After', async () => {
    const shop = await createShop(t.app, { currency: 'USD' });
    const address = newAddress();
    const answers = [];
    for (let i = 0; i < RATE_LIMIT + 5; i++) {
      answers.push(await t.app.inject({
        method: 'POST', url: `/v1/shops/${shop.id}/woocommerce`, remoteAddress: address,
        headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `webhook_id=${i}`,
      }));
    }
    expect(answers.slice(0, RATE_LIMIT).every((r) => r.statusCode === 200)).toBe(true);
    const refused = answers.at(-1)!;
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});

describe('failed signatures are limited per address (D21)', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await createShop(t.app, { currency: 'USD' });
  });
  const bad = (remoteAddress: string, shopId = shop.id) =>
    deliver(t.app, shopId, 'order.updated', completedOrder(1), { secret: shop.webhookSecret, remoteAddress, signature: wcSignature('wrong', 'x') });

  it('answers 429 with Retry-After past AUTH_FAILURES_PER_MINUTE, before checking a signature', async () => {
    const attacker = newAddress();
    for (let i = 0; i < AUTH_FAILURES; i++) expect((await bad(attacker, 'shop_01jzzzzzzzzzzzzzzzzzzzzzzz')).statusCode).toBe(401);
    const refused = await bad(attacker, 'shop_01jzzzzzzzzzzzzzzzzzzzzzzz');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // A ping to an unknown shop is a failure too.
    expect((await ping(t.app, 'shop_01jzzzzzzzzzzzzzzzzzzzzzzz', 1, {})).statusCode).toBe(404);
  });

  it('lets a shop whose deliveries verified pass a block of its shared address', async () => {
    const host = newAddress();
    const good = () => deliver(t.app, shop.id, 'order.updated', completedOrder(2), { secret: shop.webhookSecret, remoteAddress: host });
    expect((await good()).statusCode).toBe(200);
    // Another shop on the same host has a wrong secret: its deliveries fail until the address is blocked...
    const other = await createShop(t.app, { currency: 'USD' });
    for (let i = 0; i < AUTH_FAILURES; i++) expect((await bad(host, other.id)).statusCode).toBe(401);
    expect((await bad(host, other.id)).statusCode).toBe(429);
    // ...and the shop that verified before is still served.
    const served = await good();
    expect(served.statusCode).toBe(200);
    expect(served.json().status).toBe('duplicate');
  });
});
