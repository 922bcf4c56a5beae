import { describe, expect, it } from 'vitest';
import { admissionGate } from '../../services/core/common/admission.ts';
import { customerEvent, money, orderEvents, toOrderData } from '../../services/core/woocommerce/wc-rules.ts';
import { wcSignature, wcSignatureMatches } from '../../services/core/woocommerce/wc-signature.ts';
import type { WcOrder } from '../../services/core/woocommerce/wc-types.ts';

// WooCommerce's own webhook bodies as Lojal's events (docs/woocommerce.md), as pure functions.

const base: WcOrder = {
  id: 13, number: '13', status: 'pending', currency: 'USD', customer_id: 7,
  billing: { email: 'Ana@Example.com', first_name: 'Ana', last_name: '' },
  date_created_gmt: '2026-11-22T17:00:00', date_modified_gmt: '2026-11-22T17:00:00', date_paid_gmt: null, date_completed_gmt: null,
  line_items: [
    { id: 2, name: 'Mug', product_id: 11, variation_id: 0, sku: 'LJ-MUG', quantity: 4, subtotal: '50.00', total: '45.00' },
    { id: 3, name: 'Tee', product_id: 12, variation_id: 31, sku: '', quantity: 3, subtotal: '10.00', total: '9.00' },
  ],
  fee_lines: [{ id: 5, total: '-2.50' }, { id: 6, total: '1.00' }],
  shipping_total: '5.00', total_tax: '1.23', total: '58.73', refunds: [],
};
const at = (hhmm: string) => `2026-11-22T${hhmm}:00`;
const summary = (order: WcOrder) => orderEvents(order).map((e) => `${e.type}@${e.occurredAt.slice(11, 16)} ${e.id}`);

describe('money (D1)', () => {
  it.each([
    ['50.00', 'USD', 5000], ['0.00', 'USD', 0], ['12.5', 'USD', 1250], ['7', 'USD', 700], ['1999', 'JPY', 1999], ['1.234', 'KWD', 1234],
    ['12.345', 'USD', 1235], ['12.344', 'USD', 1234], ['0.005', 'USD', 1], ['1500.4', 'JPY', 1500], ['1500.5', 'JPY', 1501],
    ['90071992547409.91', 'USD', 9_007_199_254_740_991],
  ])('%s %s is %i minor units, exactly', (value, currency, minor) => {
    expect(money(value, currency, '/x')).toBe(minor);
  });

  it('takes negative amounts only where they may be (refunds, fees), and nothing but decimals', () => {
    expect(money('-22.50', 'USD', '/refunds/0/total', true)).toBe(-2250);
    expect(money('-0.00', 'USD', '/x')).toBe(0);
    expect(() => money('-1.00', 'USD', '/total')).toThrow(/must not be negative/);
    for (const bad of ['1e3', '12,50', '', ' ', '0x10', '1.2.3', '90071992547409.92']) expect(() => money(bad, 'USD', '/total'), bad).toThrow();
  });
});

describe('the order (docs/events.md: Order amounts)', () => {
  it('maps lines, coupons, fees, shipping, tax and the customer', () => {
    expect(toOrderData(base)).toEqual({
      id: '13', number: '13', status: 'pending', currency: 'USD', exchangeRate: null,
      customer: { id: '7', email: 'Ana@Example.com', emailVerified: true, firstName: 'Ana', lastName: null },
      lines: [
        { id: '2', productId: '11', sku: 'LJ-MUG', name: 'Mug', quantity: 4, unitPrice: 1250, total: 5000, discount: 500 },
        // Not a whole unit price: the line's total is what counts.
        { id: '3', productId: '12', sku: null, name: 'Tee', quantity: 3, unitPrice: 333, total: 1000, discount: 100 },
      ],
      subtotal: 5400, discount: 250, shipping: 500, tax: 123, total: 5873, pointsRedeemed: null, placedAt: '2026-11-22T17:00:00.000Z',
    });
  });

  it('names a guest by the billing e-mail, and no one without one', () => {
    expect(toOrderData({ ...base, customer_id: 0 }).customer).toEqual({ id: null, email: 'Ana@Example.com', firstName: 'Ana', lastName: null });
    expect(toOrderData({ ...base, customer_id: 0, billing: { email: '' } }).customer).toBeNull();
  });

  it('refuses a currency that is not ISO 4217', () => {
    expect(() => toOrderData({ ...base, currency: 'XXY' })).toThrow(/currency/);
  });
});

describe('transitions from the order as delivered (D3, D4, D5)', () => {
  it.each([
    ['pending', {}, ['order.placed@17:00 wc-order-13-placed']],
    ['on-hold', {}, ['order.placed@17:00 wc-order-13-placed']],
    ['processing', { date_paid_gmt: at('17:05'), date_modified_gmt: at('17:05') }, ['order.paid@17:05 wc-order-13-paid']],
    // Quick successive changes merged into one delivery: what its dates say happened.
    ['completed', { date_paid_gmt: at('17:05'), date_completed_gmt: at('17:10'), date_modified_gmt: at('17:10') },
      ['order.paid@17:05 wc-order-13-paid', 'order.completed@17:10 wc-order-13-completed']],
    ['cancelled', { date_paid_gmt: at('17:05'), date_modified_gmt: at('17:30') }, ['order.paid@17:05 wc-order-13-paid', 'order.cancelled@17:30 wc-order-13-cancelled']],
    ['failed', { date_modified_gmt: at('17:01') }, ['order.cancelled@17:01 wc-order-13-cancelled']],
    // Without the dates (set by hand through the REST API), the status alone, at the last change.
    ['completed', { date_modified_gmt: at('17:20') }, ['order.paid@17:20 wc-order-13-paid', 'order.completed@17:20 wc-order-13-completed']],
    ['checkout-draft', {}, []],
    ['auto-draft', { date_created_gmt: at('17:00') }, []],
    ['a-plugins-own-status', { date_paid_gmt: at('17:05') }, ['order.paid@17:05 wc-order-13-paid']],
  ])('%s %j', (status, dates, expected) => {
    expect(summary({ ...base, status, ...dates })).toEqual(expected);
  });

  it('turns each listed refund into order.refunded by amount, oldest id first, whatever the status says', () => {
    const refunded: WcOrder = {
      ...base, status: 'refunded', date_paid_gmt: at('17:05'), date_completed_gmt: at('17:10'), date_modified_gmt: at('17:40'),
      refunds: [{ id: 140, total: '-50.00' }, { id: 99, total: '-8.73', reason: 'Tee returned' }],
    };
    const events = orderEvents(refunded);
    expect(events.map((e) => e.id)).toEqual(['wc-order-13-paid', 'wc-order-13-completed', 'wc-order-13-refund-99', 'wc-order-13-refund-140']);
    expect(events.slice(2).map((e) => (e.data as { refund: unknown }).refund)).toEqual([
      { id: '99', amount: 873, reason: 'Tee returned' },
      { id: '140', amount: 5000 },
    ]);
    expect(events[2]!.occurredAt).toBe('2026-11-22T17:40:00.000Z');
  });

  it('gives the same ids to the same transitions in any later delivery', () => {
    const paid = orderEvents({ ...base, status: 'processing', date_paid_gmt: at('17:05') });
    const later = orderEvents({ ...base, status: 'completed', date_paid_gmt: at('17:05'), date_completed_gmt: at('17:10'), date_modified_gmt: at('18:00') });
    expect(later[0]).toEqual({ ...paid[0], data: later[0]!.data });
  });
});

describe('customers', () => {
  const customer = { id: 9, email: 'bea@example.com', first_name: 'Bea', last_name: 'Nowak', date_created_gmt: at('09:00'), date_modified_gmt: at('09:00') };
  it('is customer.upserted, its account e-mail counted as verified (D10)', () => {
    const event = customerEvent(customer, new Date('2026-11-22T18:00:00Z'));
    expect(event).toMatchObject({
      type: 'customer.upserted', occurredAt: '2026-11-22T09:00:00.000Z',
      data: { customer: { id: '9', email: 'bea@example.com', emailVerified: true, firstName: 'Bea', lastName: 'Nowak' } },
    });
  });

  it('has one id per version of the profile: the same delivery twice is one event, any change another', () => {
    const id = (c: typeof customer) => customerEvent(c, new Date()).id;
    expect(id(customer)).toBe(id({ ...customer }));
    expect(id({ ...customer, first_name: 'Beata' })).not.toBe(id(customer));
    expect(id({ ...customer, date_modified_gmt: at('10:00') })).not.toBe(id(customer));
  });
});

describe('signatures (D20)', () => {
  it('is base64 HMAC-SHA256 of the raw body, as WooCommerce signs: the captured delivery checks out', () => {
    expect(wcSignature('s3cret', 'webhook_id=1')).toBe('7Nxg6ZoYjgch6pCvFgflIG+riQatfnM7qaX4UGOIQuk=');
    const body = Buffer.from('{"id":13}');
    const signature = wcSignature('s3cret', body);
    expect(wcSignatureMatches(signature, body, ['other', 's3cret'])).toBe(true);
    expect(wcSignatureMatches(signature, body, ['other'])).toBe(false);
    expect(wcSignatureMatches(signature, Buffer.from('{"id":14}'), ['s3cret'])).toBe(false);
    for (const bad of [undefined, '', 'abc', signature.slice(0, -2), `${signature}AA`]) expect(wcSignatureMatches(bad, body, ['s3cret'])).toBe(false);
  });
});

describe('admissionGate (D21)', () => {
  it('runs at most `limit` tasks at once, the others in arrival order, and frees a place on failure', async () => {
    const gate = admissionGate(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) => gate.run(async () => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      running--;
      if (i === 3) throw new Error('task 3 fails');
      return i;
    });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => task(i)));
    expect(most).toBe(2);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(19);
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });
});
