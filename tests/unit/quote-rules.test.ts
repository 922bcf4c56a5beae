import { describe, expect, it } from 'vitest';
import type { EarningRule } from '../../services/core/earning/earning-types.ts';
import { QUOTE_ORDER_ID, quoteOrder, quoteView, type QuoteInput } from '../../services/core/earning/quote-rules.ts';
import { earningPlan, planAward } from '../../services/core/orders/order-rules.ts';
import { defaultProgram } from '../../services/core/program/program-types.ts';

// The earning quote as an order (D2): defaults, refusals, and the same plan an award makes.

const NOW = new Date('2026-11-20T12:00:00Z');
const line = { id: '1', quantity: 2, unitPrice: 1_500 };

describe('quoteOrder', () => {
  it.each<[string, QuoteInput, object]>([
    ['a missing total is quantity × unitPrice, a missing discount 0', { lines: [line] }, { lines: [{ ...line, categories: [], total: 3_000, discount: 0 }], subtotal: 3_000, total: 3_000, discount: 0 }],
    ['a given total is kept', { lines: [{ ...line, total: 2_000 }] }, { lines: [expect.objectContaining({ total: 2_000 })], subtotal: 2_000 }],
    ['the order discount is taken off the total', { lines: [{ ...line, discount: 500 }], discount: 1_000 }, { subtotal: 2_500, discount: 1_000, total: 1_500 }],
    ['a discount beyond the lines leaves 0', { lines: [line], discount: 9_999 }, { total: 0 }],
    ["the program's currency may be named", { currency: 'PLN', lines: [line] }, { currency: 'PLN' }],
  ])('%s', (_name, input, expected) => {
    const order = quoteOrder(input, 'PLN', NOW);
    expect(order).toMatchObject({ id: QUOTE_ORDER_ID, customer: null, currency: 'PLN', exchangeRate: null, shipping: 0, tax: 0, pointsRedeemed: null, placedAt: NOW.toISOString() });
    expect(order).toMatchObject(expected);
  });

  it.each<[string, QuoteInput, string, string]>([
    ['another currency', { currency: 'EUR', lines: [line] }, 'currency_mismatch', ''],
    ['quantity × unitPrice past 2^53 − 1', { lines: [{ ...line, quantity: 1_000_000, unitPrice: 2 ** 50 }] }, 'validation_failed', '/lines/0/unitPrice'],
    ['the totals together past 2^53 − 1', { lines: [{ ...line, total: 2 ** 52 }, { ...line, total: 2 ** 52 + 1 }] }, 'validation_failed', '/lines'],
  ])('refuses %s', (_name, input, code, field) => {
    let error: unknown;
    try {
      quoteOrder(input, 'PLN', NOW);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code });
    if (field) expect(JSON.stringify(error)).toContain(field);
  });
});

describe('quoteView', () => {
  const rule: EarningRule = {
    id: 'r1', version: 1, name: 'x2', active: true, startsAt: null, endsAt: null, conditions: {}, effect: { multiplier: 2, per: 'line' }, stackable: false,
  };
  const data = quoteOrder({ lines: [line, { id: '2', quantity: 1, unitPrice: 999 }] }, 'PLN', NOW);

  it.each([
    ['no tiers', { tierId: null, tierMultiplier: 1 }, { points: 78, lines: [{ id: '1', points: 60 }, { id: '2', points: 18 }], tier: null }],
    ['a 1.5 tier', { tierId: 'silver', tierMultiplier: 1.5 }, { points: 117, lines: [{ id: '1', points: 90 }, { id: '2', points: 27 }], tier: { id: 'silver', multiplier: 1.5 } }],
  ])('answers the plan an award makes, with %s', (_name, tier, expected) => {
    const { plan } = earningPlan(data, defaultProgram('PLN'), [rule], { ...tier, firstOrder: true });
    expect(quoteView(plan, tier)).toEqual(expected);
    expect(planAward(data, NOW, defaultProgram('PLN'), [rule], true, tier).points).toBe(expected.points);
  });
});
