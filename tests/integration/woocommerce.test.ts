import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { wcSignature } from '../../services/core/woocommerce/wc-signature.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, sendEvent } from '../helpers/events.ts';
import { FIXTURE_SECRET, addWebhookSecret, capturedDeliveries, deliver, ping, wcCustomer, wcOrder } from '../helpers/woocommerce.ts';

// WooCommerce's own webhooks (docs/woocommerce.md): D20 signatures, the ping, the real deliveries of WooCommerce 11.
const clock = fixedClock('2026-11-22T18:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(() => t.close());

const TABLES = ['inbound_events', 'orders', 'members', 'ledger_entries', 'refunds'];
async function written(shopId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    out[table] = (await t.container.database.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE shop_id = $1`, [shopId])).rows[0].n;
  }
  return out;
}
const NOTHING = Object.fromEntries(TABLES.map((table) => [table, 0]));

const usdShop = () => createShop(t.app, { currency: 'USD' });
const order = (id: number, extra: Partial<Parameters<typeof wcOrder>[0]> = {}) =>
  wcOrder({
    id, status: 'completed', customerId: 7, email: 'ana@example.com',
    lines: [{ id: 1, productId: 11, quantity: 4, subtotal: '50.00', total: '50.00' }],
    total: '50.00', created: '2026-11-22T17:00:00', modified: '2026-11-22T17:10:00', paid: '2026-11-22T17:05:00', completed: '2026-11-22T17:10:00',
    ...extra,
  });

describe('signatures (D20)', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await usdShop();
  });

  it.each([
    ['missing', { signature: null }],
    ['not base64 of 32 bytes', { signature: 'c2lnbmF0dXJl' }],
    ['made with another secret', { signature: wcSignature('lj_whsec_not-the-shops', JSON.stringify(order(1))) }],
    ['of another body', { signature: wcSignature('x', '{}') }],
  ])('refuses a %s signature with 401 signature_invalid and stores nothing', async (_label, options) => {
    const response = await deliver(t.app, shop.id, 'order.updated', order(1), { secret: shop.webhookSecret, ...options });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 401, code: 'signature_invalid' });
    expect(await written(shop.id)).toEqual(NOTHING);
  });

  it('refuses a body changed after signing', async () => {
    const signed = JSON.stringify(order(2));
    const changed = signed.replace('"total":"50.00"', '"total":"5000.00"');
    const response = await deliver(t.app, shop.id, 'order.updated', null, { secret: shop.webhookSecret, raw: changed, signature: wcSignature(shop.webhookSecret, signed) });
    expect(response.statusCode).toBe(401);
    expect(await written(shop.id)).toEqual(NOTHING);
  });

  it('answers an unknown shop like a wrong signature: 401, nothing stored', async () => {
    const other = await usdShop();
    const response = await deliver(t.app, 'shop_01jzzzzzzzzzzzzzzzzzzzzzzz', 'order.updated', order(3), { secret: other.webhookSecret });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('signature_invalid');
    // Another shop's secret does not open this one.
    const crossed = await deliver(t.app, shop.id, 'order.updated', order(3), { secret: other.webhookSecret });
    expect(crossed.statusCode).toBe(401);
    expect(await written(shop.id)).toEqual(NOTHING);
  });

  it('takes a delivery signed with the shop\'s webhook secret, and the previous one during a rotation overlap', async () => {
    const rotating = await usdShop();
    const rotated = await t.container.shops.rotateSecrets(rotating.id);
    const old = await deliver(t.app, rotating.id, 'order.updated', order(4), { secret: rotating.webhookSecret });
    const fresh = await deliver(t.app, rotating.id, 'order.updated', order(5), { secret: rotated.webhookSecret });
    expect([old.statusCode, fresh.statusCode]).toEqual([200, 200]);
    expect(old.json().status).toBe('applied');
  });
});

describe('the creation ping', () => {
  it('answers 200 and writes nothing, signed or not', async () => {
    const shop = await usdShop();
    const unsigned = await ping(t.app, shop.id, 41);
    expect(unsigned.statusCode).toBe(200);
    expect(unsigned.json()).toEqual({ status: 'ping', events: [] });
    const signed = await ping(t.app, shop.id, 42, { 'x-wc-webhook-signature': wcSignature(shop.webhookSecret, 'webhook_id=42') });
    expect(signed.statusCode).toBe(200);
    expect(await written(shop.id)).toEqual(NOTHING);
  });

  it('answers 404 for a shop that does not exist, so the owner sees the wrong URL when saving the webhook', async () => {
    const response = await ping(t.app, 'shop_01jzzzzzzzzzzzzzzzzzzzzzzz');
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('not_found');
  });

  it('takes no other form-encoded body', async () => {
    const shop = await usdShop();
    const response = await t.app.inject({
      method: 'POST', url: `/v1/shops/${shop.id}/woocommerce`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'id=13&status=completed',
    });
    expect(response.statusCode).toBe(415);
    expect(await written(shop.id)).toEqual(NOTHING);
  });
});

describe('bad input, validly signed', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await usdShop();
  });
  const send = (topic: string, body: unknown, raw?: string) => deliver(t.app, shop.id, topic, body, { secret: shop.webhookSecret, ...(raw ? { raw } : {}) });

  it('answers JSON that does not parse with 400 invalid_json', async () => {
    const response = await send('order.updated', null, '{"id": 13,');
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalid_json');
  });

  it('answers an order without what Lojal reads with 400 validation_failed naming the field', async () => {
    const { line_items: _, ...withoutLines } = order(20);
    const response = await send('order.updated', withoutLines);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
    expect(JSON.stringify(response.json().errors)).toContain('line_items');
    expect((await send('order.updated', { ...order(21), total: 50 })).json().errors[0].field).toBe('/total');
  });

  it('answers topics Lojal does not read with 200 ignored, order.deleted too, and writes nothing', async () => {
    const quiet = await usdShop();
    for (const [topic, body] of [['product.updated', { id: 11, name: 'Mug' }], ['order.deleted', { id: 13 }], ['coupon.created', { id: 3 }], ['action.woocommerce_x', { action: 'x', arg: 1 }]] as const) {
      const response = await deliver(t.app, quiet.id, topic, body, { secret: quiet.webhookSecret });
      expect(response.statusCode, topic).toBe(200);
      expect(response.json()).toEqual({ status: 'ignored', events: [] });
    }
    expect(await written(quiet.id)).toEqual(NOTHING);
  });

  it('answers a missing X-WC-Webhook-Topic with 400', async () => {
    const response = await deliver(t.app, shop.id, 'order.updated', order(22), { secret: shop.webhookSecret, headers: { 'x-wc-webhook-topic': '' } });
    expect(response.statusCode).toBe(400);
  });

  it('answers an order in another currency than the program with 422 currency_mismatch, storing nothing', async () => {
    const eur = await usdShop();
    const response = await deliver(t.app, eur.id, 'order.updated', { ...order(23), currency: 'EUR' }, { secret: eur.webhookSecret });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('currency_mismatch');
    expect(await written(eur.id)).toEqual(NOTHING);
  });
});

describe('the real deliveries of WooCommerce 11.0.1 (../shared/fixtures/woocommerce)', () => {
  it('give the same ledger as Lojal\'s own events for those orders', async () => {
    const captured = capturedDeliveries();
    const shop = await usdShop();
    await addWebhookSecret(t, shop.id, FIXTURE_SECRET);
    const answers = [];
    for (const d of captured) {
      const response = await t.app.inject({
        method: 'POST', url: `/v1/shops/${shop.id}/woocommerce`, payload: d.rawBody,
        headers: Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [k.toLowerCase(), v])),
      });
      expect(response.statusCode, response.body).toBe(200);
      answers.push(response.json().status);
    }
    // order.updated then order.created of one order, both completed; the ping; another shop's order.
    expect(answers).toEqual(['applied', 'duplicate', 'ping', 'applied']);

    const own = await usdShop();
    const lojalOrder = (id: string, email: string, amount: number, at: string) => ({
      id, number: id, status: 'completed', customer: { id: null, email, firstName: 'Fay', lastName: 'Hpos' }, currency: 'USD', exchangeRate: null,
      lines: [{ id: id === '13' ? '2' : '1', productId: '11', name: 'Loyalty Mug', quantity: amount / 1250, unitPrice: 1250, total: amount, discount: 0 }],
      subtotal: amount, discount: 0, shipping: 0, tax: 0, total: amount, pointsRedeemed: null, placedAt: at,
    });
    for (const [id, email, amount, created, done] of [['13', 'fay@example.com', 5000, '2026-11-22T17:51:07Z', '2026-11-22T17:51:08Z'], ['12', 'g@example.com', 1250, '2026-11-22T17:51:43Z', '2026-11-22T17:51:43Z']] as const) {
      const data = { order: lojalOrder(id, email, amount, created) };
      for (const type of ['order.paid', 'order.completed']) {
        expect((await sendEvent(t.app, own, envelope(type, data, done), { t: Math.floor(clock.now().getTime() / 1000) })).statusCode).toBe(202);
      }
    }
    expect(await ledgerOf(shop.id)).toEqual(await ledgerOf(own.id));
    expect((await ledgerOf(shop.id)).orders.map((o) => [o.order_id, o.award_points])).toEqual([['12', 12], ['13', 50]]);
  });
});

describe('customers', () => {
  it('customer.created makes the member, and claims the guest orders of its e-mail (D10)', async () => {
    const shop = await usdShop();
    const guest = order(30, { customerId: 0, email: 'Guest@Example.com' });
    expect((await deliver(t.app, shop.id, 'order.created', guest, { secret: shop.webhookSecret })).json().status).toBe('applied');
    const created = await deliver(t.app, shop.id, 'customer.created', wcCustomer(9, 'guest@example.com'), { secret: shop.webhookSecret });
    expect(created.json()).toMatchObject({ status: 'applied', events: [{ type: 'customer.upserted', status: 'applied' }] });
    const again = await deliver(t.app, shop.id, 'customer.updated', wcCustomer(9, 'guest@example.com'), { secret: shop.webhookSecret });
    expect(again.json().status).toBe('duplicate');
    const member = (await t.app.inject({ method: 'GET', url: '/v1/members/9', headers: shop.auth })).json();
    expect(member).toMatchObject({ customerId: '9', email: 'guest@example.com', balance: { pending: 50 } });
  });
});

/** What the shop's ledger says, without ids and times that differ between two shops fed the same story. */
export async function ledgerOf(shopId: string) {
  const pool = t.container.database.pool;
  const rows = async (sql: string) => (await pool.query(sql, [shopId])).rows;
  return {
    members: await rows(`SELECT customer_id, email, pending, available, held, lifetime_earned FROM members WHERE shop_id = $1 ORDER BY customer_id NULLS FIRST, email`),
    orders: await rows(`SELECT order_id, customer_id, guest_email, status, status_at, cancelled_at, award_status, award_points, award_lines, awarded_at, award_available_at, reversed_points FROM orders WHERE shop_id = $1 ORDER BY order_id`),
    entries: await rows(`SELECT order_id, kind, from_bucket, to_bucket, points, refund_id FROM ledger_entries WHERE shop_id = $1 ORDER BY order_id, kind, refund_id NULLS FIRST, points`),
  };
}
