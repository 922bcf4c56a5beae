/**
 * Table-driven tests of the pure earning helpers: allocate (largest remainder), toProgramCurrency (D1) and
 * reversalTarget (D5). Expected values are worked out by hand; the arithmetic is in each row's name or comment.
 */
import { describe, expect, it } from 'vitest';
import { allocate, reversalTarget, toProgramCurrency, type RefundFacts } from '../../services/core/earning/earning-rules.ts';
import type { EarningOrder, EarningProgram, LineSnapshot } from '../../services/core/earning/earning-types.ts';

describe('allocate', () => {
  it.each<[string, number, number[], number[]]>([
    ['even three-way, the leftover to the earliest tie', 100, [1, 1, 1], [34, 33, 33]],
    ['two leftovers among equal ties go to the first two', 2, [1, 1, 1], [1, 1, 0]],
    ['largest remainder, not largest weight: .95 and .80 win over .25', 333, [6000, 2500, 1500], [200, 83, 50]],
    ['largest remainder picks the middle weight (.9)', 1234, [5000, 3500, 1500], [617, 432, 185]],
    ['one unit over 1:2 goes to the 2/3 share', 1, [1, 2], [0, 1]],
    ['100 over seven equal weights: 14 each, 2 left to the first two', 100, [1, 1, 1, 1, 1, 1, 1], [15, 15, 14, 14, 14, 14, 14]],
    ['7 over four equal weights: 1 each, 3 left', 7, [1, 1, 1, 1], [2, 2, 2, 1]],
    ['200 over 9600:12345 -> remainders 10785 < 11160', 200, [9600, 12345], [87, 113]],
    ['zero weights get nothing', 10, [0, 5, 0], [0, 10, 0]],
    ['a zero weight never takes a leftover', 3, [1, 1, 1, 0], [1, 1, 1, 0]],
    ['all weights zero: nothing to anyone', 10, [0, 0, 0], [0, 0, 0]],
    ['zero amount', 0, [3, 4], [0, 0]],
    ['no weights', 5, [], []],
  ])('%s', (_name, amount, weights, expected) => {
    const parts = allocate(amount, weights);
    expect(parts).toEqual(expected);
    if (weights.some((w) => w > 0)) expect(parts.reduce((a, b) => a + b, 0)).toBe(amount);
  });

  it('always sums exactly, each part within one unit of its exact share, zero weights get zero', () => {
    let seed = 12345;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 500; round++) {
      const weights = Array.from({ length: 1 + next(8) }, () => (next(4) === 0 ? 0 : next(100_000)));
      const total = weights.reduce((a, b) => a + b, 0);
      const amount = next(1_000_000);
      const parts = allocate(amount, weights);
      expect(parts).toHaveLength(weights.length);
      if (total === 0) {
        expect(parts.every((p) => p === 0)).toBe(true);
        continue;
      }
      expect(parts.reduce((a, b) => a + b, 0)).toBe(amount);
      weights.forEach((w, i) => {
        const floor = Math.floor((amount * w) / total);
        expect(parts[i]).toBeGreaterThanOrEqual(floor);
        expect(parts[i]).toBeLessThanOrEqual(floor + 1);
        if (w === 0) expect(parts[i]).toBe(0);
      });
    }
  });
});

describe('toProgramCurrency (D1)', () => {
  const program = (currency: string): EarningProgram => ({ currency, pointsPerUnit: 1, includeShipping: false, includeTax: false });
  const order = (currency: string, exchangeRate: number | null): EarningOrder => ({
    id: 'o',
    currency,
    exchangeRate,
    lines: [],
    discount: 0,
    shipping: 0,
    tax: 0,
    total: 0,
    pointsAmount: 0,
    placedAt: new Date('2026-03-10T10:00:00Z'),
  });

  it.each<[string, number, string, number | null, string, number]>([
    ['same currency, no rate: unchanged', 12345, 'PLN', null, 'PLN', 12345],
    ['EUR->PLN 2999 c x 4.3127 = 12933.7873 -> 12933 gr', 2999, 'EUR', 4.3127, 'PLN', 12933],
    ['EUR->PLN 2500 c x 4.3127 = 10781.75 -> 10781 gr', 2500, 'EUR', 4.3127, 'PLN', 10781],
    ['EUR->PLN 100 c x 4.31 = 431 exactly (float would give 430.99...)', 100, 'EUR', 4.31, 'PLN', 431],
    ['EUR->PLN 100 c x 4.35 = 435 exactly (float would give 434.99...)', 100, 'EUR', 4.35, 'PLN', 435],
    ['EUR->PLN zero', 0, 'EUR', 4.3127, 'PLN', 0],
    ['JPY->PLN 10000 yen x 0.0265 = 265 zl = 26500 gr (x10^2)', 10000, 'JPY', 0.0265, 'PLN', 26500],
    ['JPY->PLN 999 yen x 0.0265 x 100 = 2647.35 -> 2647 gr', 999, 'JPY', 0.0265, 'PLN', 2647],
    ['JPY->PLN 1 yen = 2.65 gr -> 2', 1, 'JPY', 0.0265, 'PLN', 2],
    ['PLN->JPY 12345 gr = 123.45 zl x 37.7358 = 4658.48 -> 4658 yen (/10^2)', 12345, 'PLN', 37.7358, 'JPY', 4658],
    ['EUR->KWD 1000 c = 10 EUR x 0.3301 = 3.301 KWD = 3301 fils (x10)', 1000, 'EUR', 0.3301, 'KWD', 3301],
    ['EUR->KWD 1 c x 0.3301 x 10 = 3.301 -> 3 fils', 1, 'EUR', 0.3301, 'KWD', 3],
    ['KWD->PLN 1234 fils = 1.234 KWD x 13.05 = 16.1037 zl -> 1610 gr (/10)', 1234, 'KWD', 13.05, 'PLN', 1610],
  ])('%s', (_name, amount, from, rate, to, expected) => {
    expect(toProgramCurrency(amount, order(from, rate), program(to))).toBe(expected);
  });
});

describe('reversalTarget (D5)', () => {
  const snap = (lineId: string, quantity: number, paid: number, basePoints: number, multiplier: string, bonusPoints: number, points: number): LineSnapshot => ({
    lineId,
    productId: `p-${lineId}`,
    quantity,
    paid,
    eligible: paid,
    basePoints,
    multiplier,
    bonusPoints,
    points,
  });
  // Award 133 = A 100 (base 50 under a x2 rule) + B 33 (base 30 and a bonus of 3); money paid 10000 = A 7000 +
  // B 3000. A refund takes back the points awarded, never the base: base and points differ on every line here.
  const lines = [snap('A', 7, 7000, 50, '2', 0, 100), snap('B', 1, 3000, 30, '1', 3, 33)];
  const award = 133;
  const orderTotal = 10000;
  const facts = (byLine: Record<string, [quantity: number, amount: number]>, amountOnly = 0): RefundFacts => ({
    lines: new Map(Object.entries(byLine).map(([id, [quantity, amount]]) => [id, { quantity, amount }])),
    amountOnly,
  });
  const target = (f: RefundFacts) => reversalTarget(lines, orderTotal, award, f);

  describe('a line refunded by quantity in three partial steps, then the rest', () => {
    // Cumulative quantity of A (7 units, 100 points): floor(100 x q / 7).
    const steps: [string, number, number][] = [
      ['2 of 7: floor(200/7 = 28.57)', 2, 28],
      ['+1 -> 3 of 7: floor(300/7 = 42.86)', 3, 42],
      ['+2 -> 5 of 7: floor(500/7 = 71.43)', 5, 71],
      ['+2 -> 7 of 7: the whole line', 7, 100],
    ];
    it.each(steps)('%s', (_name, quantity, expected) => {
      expect(target(facts({ A: [quantity, quantity * 1000] }))).toBe(expected);
    });
    it('the increments 28 + 14 + 29 + 29 add up to exactly the line points', () => {
      const cumulative = steps.map(([, q]) => target(facts({ A: [q, q * 1000] })));
      const increments = cumulative.map((c, i) => c - (i === 0 ? 0 : cumulative[i - 1]!));
      expect(increments).toEqual([28, 14, 29, 29]);
      expect(increments.reduce((a, b) => a + b, 0)).toBe(100);
    });
  });

  it.each<[string, number, number]>([
    ['2500 of 10000: floor(133 x 0.25 = 33.25)', 2500, 33],
    ['5000 of 10000: floor(66.5)', 5000, 66],
    ['7500 of 10000: floor(99.75)', 7500, 99],
    ['all 10000: exactly the award', 10000, 133],
    ['more than was paid: still the award', 12000, 133],
  ])('amount only, in proportion: %s', (_name, amountOnly, expected) => {
    expect(target(facts({}, amountOnly))).toBe(expected);
  });

  it.each<[string, RefundFacts]>([
    ['every line, every unit', facts({ A: [7, 7000], B: [1, 3000] })],
    ['every line by amount (quantity 0)', facts({ A: [0, 7000], B: [0, 3000] })],
    ['amount only, the whole total', facts({}, 10000)],
  ])('a full refund returns exactly the award: %s', (_name, f) => {
    expect(target(f)).toBe(award);
  });

  it.each<[string, RefundFacts, number]>([
    ['a full line plus an amount-only refund: 100 + 66 -> capped at 133', facts({ A: [7, 7000] }, 5000), 133],
    ['more units than the line had: capped at the line (100)', facts({ A: [9, 9000] }), 100],
    ['more money than the line cost: capped at the line (33)', facts({ B: [0, 5000] }), 33],
    ['everything twice over: capped at the award', facts({ A: [14, 14000], B: [2, 6000] }, 20000), 133],
    ['a line the award does not know reverses nothing', facts({ Z: [3, 3000] }), 0],
  ])('caps: %s', (_name, f, expected) => {
    expect(target(f)).toBe(expected);
    expect(target(f)).toBeLessThanOrEqual(award);
  });

  it('never exceeds the award and never decreases as refunds accumulate', () => {
    for (let a = 0; a <= 9; a++) {
      for (let b = 0; b <= 2; b++) {
        let previous = 0;
        for (let amountOnly = 0; amountOnly <= 12000; amountOnly += 1500) {
          const t = target(facts({ A: [a, a * 1000], B: [b, b * 3000] }, amountOnly));
          expect(t).toBeLessThanOrEqual(award);
          expect(t).toBeGreaterThanOrEqual(previous);
          previous = t;
        }
      }
    }
  });

  it.each<[string, number, number]>([
    ['1000 of 3000: floor(33 / 3 = 11)', 1000, 11],
    ['1500 of 3000: floor(16.5)', 1500, 16],
    ['2000 of 3000: floor(22)', 2000, 22],
    ['3000 of 3000: the whole line', 3000, 33],
  ])('refund by line amount when quantity is 0: %s', (_name, amount, expected) => {
    expect(target(facts({ B: [0, amount] }))).toBe(expected);
  });
});
