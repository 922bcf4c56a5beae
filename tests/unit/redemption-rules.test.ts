import { describe, expect, it } from 'vitest';
import { planRestore, quote, restoreTarget } from '../../services/core/redemptions/redemption-rules.ts';

const limits = { pointValue: 1, minPoints: 100, maxPercentOfOrder: 50 };

describe('quote (D6 limits)', () => {
  it.each([
    ['balance below the order cap', 300, 10_000, limits, { maxPoints: 300, maxAmount: 300 }],
    ['order cap below the balance', 9_000, 10_000, limits, { maxPoints: 5_000, maxAmount: 5_000 }],
    ['under minPoints: nothing', 99, 10_000, limits, { maxPoints: 0, maxAmount: 0 }],
    ['exactly minPoints', 100, 10_000, limits, { maxPoints: 100, maxAmount: 100 }],
    ['zero balance', 0, 10_000, limits, { maxPoints: 0, maxAmount: 0 }],
    ['debt counts as zero', -50, 10_000, limits, { available: 0, maxPoints: 0 }],
    ['whole points of a 5-grosz point', 10_000, 999, { pointValue: 5, minPoints: 0, maxPercentOfOrder: 100 }, { maxPoints: 199, maxAmount: 995 }],
    ['a small order under the cap', 1_000, 150, limits, { maxPoints: 0 }],
    // D1: 45 % of 2^53 − 1, exactly (in floating point it comes out one point more).
    ['an order total of 2^53 − 1', Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, { pointValue: 1, minPoints: 0, maxPercentOfOrder: 45 },
      { maxPoints: 4_053_239_664_633_445, maxAmount: 4_053_239_664_633_445 }],
  ])('%s', (_name, available, total, l, expected) => {
    expect(quote(available, total, l)).toMatchObject(expected);
  });
});

describe('restoreTarget (D6 restore on refund)', () => {
  it.each([
    [500, 0, 10_000, false, 0],
    [500, 2_500, 10_000, false, 125],
    [500, 3_333, 10_000, false, 166],
    [500, 10_000, 10_000, false, 500],
    [500, 50_000, 10_000, false, 500],
    [500, 0, 10_000, true, 500],
    [500, 1, 0, false, 500],
    // D1: the product passes 2^53; in floating point the share comes out one point short.
    [3_000_000_558, 2_333_333_915, 7_000_001_745, false, 1_000_000_186],
  ])('redeemed %i, refunded %i of %i, cancelled %s → %i', (redeemed, refunded, paid, cancelled, expected) => {
    expect(restoreTarget(redeemed, refunded, paid, cancelled)).toBe(expected);
  });
});

describe('planRestore', () => {
  const consumed = [
    { lotId: 'a', points: 300 },
    { lotId: 'b', points: 100 },
  ];
  it('spreads over the consumed lots in proportion', () => {
    expect(planRestore(consumed, new Map(), 100)).toEqual([
      { lotId: 'a', points: 75 },
      { lotId: 'b', points: 25 },
    ]);
  });
  it('ends with every lot whole after partial restores', () => {
    const sofar = new Map([
      ['a', 75],
      ['b', 25],
    ]);
    expect(planRestore(consumed, sofar, 300)).toEqual([
      { lotId: 'a', points: 225 },
      { lotId: 'b', points: 75 },
    ]);
    expect(planRestore(consumed, new Map([['a', 300], ['b', 100]]), 10)).toEqual([]);
  });
});
