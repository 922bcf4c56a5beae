import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';

// D1: `exchangeRate` may be left out of an order altogether (the event schema makes it optional), and that must
// mean the same as `null`: refused in another currency, no rate at all in the program's.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(() => t.close());

const send = (shop: TestShop, event: unknown) => sendEvent(t.app, shop, event, { t: Math.floor(clock.now().getTime() / 1000) });
const rows = async (text: string, shopId: string) => (await t.container.database.pool.query(text, [shopId])).rows;

/** An order as a storefront may send it: without the `exchangeRate` key at all. */
function withoutRate(id: string, options: Parameters<typeof order>[1] = {}) {
  const { exchangeRate: _left, ...data } = order(id, options);
  return data;
}

describe('an order without the exchangeRate key (D1)', () => {
  it('in another currency: 422 currency_mismatch, nothing stored', async () => {
    const shop = await createShop(t.app);
    for (const type of ['order.completed', 'order.placed']) {
      const response = await send(shop, envelope(type, { order: withoutRate('eur-1', { currency: 'EUR' }) }));
      expect(response.statusCode, type).toBe(422);
      expect(response.json().code).toBe('currency_mismatch');
    }
    expect(await rows('SELECT 1 FROM inbound_events WHERE shop_id = $1', shop.id)).toEqual([]);
    expect(await rows('SELECT 1 FROM orders WHERE shop_id = $1', shop.id)).toEqual([]);
  });

  it('in the program currency: no rate on the order or its entries, on both paths', async () => {
    const shop = await createShop(t.app);
    // The first order creates the member (the locked path), the second goes lock-free; a refund is locked again.
    const first = withoutRate('pln-1');
    expect((await send(shop, envelope('order.completed', { order: first }))).json().status).toBe('applied');
    expect((await send(shop, envelope('order.completed', { order: withoutRate('pln-2') }))).json().status).toBe('applied');
    await send(shop, envelope('order.refunded', { order: first, refund: { id: 'rf-1', amount: 5_000 } }));
    expect(await rows('SELECT order_id, exchange_rate FROM orders WHERE shop_id = $1 ORDER BY order_id', shop.id)).toEqual([
      { order_id: 'pln-1', exchange_rate: null },
      { order_id: 'pln-2', exchange_rate: null },
    ]);
    expect(await rows('SELECT kind, points, exchange_rate FROM ledger_entries WHERE shop_id = $1 ORDER BY seq', shop.id)).toEqual([
      { kind: 'earn', points: 100, exchange_rate: null },
      { kind: 'earn', points: 100, exchange_rate: null },
      { kind: 'reverse', points: 50, exchange_rate: null },
    ]);
    const view = (await t.app.inject({ method: 'GET', url: '/v1/orders/pln-1', headers: shop.auth })).json();
    expect(view).toMatchObject({ currency: 'PLN', exchangeRate: null, award: { points: 100 } });
  });
});
