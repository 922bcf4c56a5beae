import { describe, expect, it } from 'vitest';
import type { LineSnapshot } from '../../services/core/earning/earning-types.ts';
import {
  awardDecision,
  type Cause,
  checkAmounts,
  checkCurrency,
  mayAwardLockFree,
  needsBalance,
  newOrder,
  planClaim,
  planAward,
  planMaturity,
  planReversal,
  redemptionStep,
  refundFacts,
  settlementPlan,
  statusChange,
  toEarningOrder,
  untouched,
} from '../../services/core/orders/order-rules.ts';
import type { OrderData, OrderRecord, RefundRecord } from '../../services/core/orders/order-types.ts';
import { defaultProgram, type ProgramSettings } from '../../services/core/program/program-types.ts';

// The decisions both paths of an order event take (D3–D6, D10), table by table, without a database.

const T0 = new Date('2026-03-01T10:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const settings = (over: Partial<ProgramSettings> = {}): ProgramSettings => ({ ...defaultProgram('PLN'), ...over });

const data: OrderData = {
  id: 'o1', number: '1001', customer: { id: 'c1', email: 'Ana@Example.com' }, currency: 'PLN', exchangeRate: null,
  lines: [], subtotal: 10_000, discount: 0, shipping: 0, tax: 0, total: 10_000, pointsRedeemed: null, placedAt: T0.toISOString(),
};

/** Two lines: A earned 60 points for 2 items paid 6,000; B earned 40 for 1 item paid 4,000. */
const lines: LineSnapshot[] = [
  { lineId: 'A', productId: null, quantity: 2, paid: 6_000, eligible: 6_000, basePoints: 30, multiplier: '2', bonusPoints: 0, points: 60 },
  { lineId: 'B', productId: null, quantity: 1, paid: 4_000, eligible: 4_000, basePoints: 20, multiplier: '2', bonusPoints: 0, points: 40 },
];

function awarded(over: Partial<OrderRecord> = {}): OrderRecord {
  return {
    ...newOrder('s1', data, 'completed', T0, T0),
    memberId: 'm1', awardStatus: 'pending', awardPoints: 100, awardedAt: T0, awardAvailableAt: later(14 * 24 * 60),
    awardLines: lines, awardOrderTotal: 10_000, ...over,
  };
}

const noRefunds: RefundRecord[] = [];
/** A refund of `quantity` of one line (`refundId`, occurring `minutes` after T0). */
const lineRefund = (lineId: string, quantity: number, amount = 0, refundId = 'rf', minutes = 60): RefundRecord[] =>
  [{ refundId, orderId: 'o1', amount, lines: [{ lineId, quantity, amount }], reason: null, occurredAt: later(minutes) }];
const amountRefund = (amount: number, refundId = 'rf', minutes = 60): RefundRecord[] =>
  [{ refundId, orderId: 'o1', amount, lines: null, reason: null, occurredAt: later(minutes) }];

describe('awardDecision (D3)', () => {
  it.each([
    ['order.completed', 'completed', null, 'award'],
    ['order.completed', 'completed', 'pending', 'duplicate'],
    ['order.completed', 'completed', 'void', 'duplicate'],
    ['order.paid', 'completed', null, 'none'],
    ['order.paid', 'paid', null, 'award'],
    ['order.paid', 'paid', 'available', 'duplicate'],
    ['order.placed', 'paid', null, 'none'],
    ['order.cancelled', 'completed', null, 'none'],
    ['order.refunded', 'completed', 'pending', 'none'],
  ] as const)('%s with awardOn %s, award %s → %s', (type, awardOn, awardStatus, expected) => {
    expect(awardDecision(type, settings({ awardOn }), { awardStatus })).toBe(expected);
  });
});

describe('the exchange rate (D1)', () => {
  const { exchangeRate: _absent, ...withoutKey } = data;
  it.each<[string, OrderData, string | null, string | null]>([
    ['PLN, the key left out', withoutKey, null, null],
    ['PLN, null', { ...data, exchangeRate: null }, null, null],
    ['EUR, the key left out', { ...withoutKey, currency: 'EUR' }, null, 'currency_mismatch'],
    ['EUR, null', { ...data, currency: 'EUR', exchangeRate: null }, null, 'currency_mismatch'],
    ['EUR at 4.3', { ...data, currency: 'EUR', exchangeRate: 4.3 }, '4.3', null],
  ])('%s', (_, order, rate, refused) => {
    expect(newOrder('s1', order, 'completed', T0, T0).exchangeRate).toBe(rate);
    expect(toEarningOrder(order).exchangeRate).toBe(rate === null ? null : Number(rate));
    let code: string | null = null;
    try {
      checkCurrency(order, settings());
    } catch (error) {
      code = (error as { code?: string }).code ?? String(error);
    }
    expect(code).toBe(refused);
  });
});

describe('statusChange (D3)', () => {
  it('takes the status and data of a later event, keeps the order as it is for an earlier one', () => {
    const order = awarded({ status: 'paid', statusAt: later(10) });
    expect(statusChange(order, 'completed', later(20), { ...data, number: '2002' })).toMatchObject({ status: 'completed', statusAt: later(20), number: '2002' });
    expect(statusChange(order, 'placed', later(5), data)).toEqual({});
  });
});

describe('planReversal (D4, D5)', () => {
  const reverse = (from: 'pending' | 'available', points: number, reversedPoints: number, causes: [string | null, number][]) =>
    ({ kind: 'reverse' as const, from, points, reversedPoints, causes: causes.map(([refundId, p]) => ({ refundId, points: p })) });
  it.each<[string, Partial<OrderRecord>, RefundRecord[], ReturnType<typeof planReversal>]>([
    ['no award yet', { awardStatus: null }, lineRefund('A', 1), { kind: 'none' }],
    ['a voided award', { awardStatus: 'void' }, lineRefund('A', 1), { kind: 'none' }],
    ['nothing refunded', {}, noRefunds, { kind: 'none' }],
    ['cancelled while pending: void the rest', { cancelledAt: later(1), reversedPoints: 30 }, noRefunds, { kind: 'void', points: 70 }],
    ['cancelled before the award (an older event): nothing', { cancelledAt: later(-1) }, noRefunds, { kind: 'none' }],
    ['cancelled after maturity: a full refund, naming no refund', { cancelledAt: later(1), awardStatus: 'available', reversedPoints: 30 }, noRefunds,
      reverse('available', 70, 100, [[null, 70]])],
    ['one of two items of line A, pending', {}, lineRefund('A', 1), reverse('pending', 30, 30, [['rf', 30]])],
    ['line A again after 30 reversed: only the rest', { reversedPoints: 30 }, lineRefund('A', 2), reverse('pending', 30, 60, [['rf', 30]])],
    ['the award points (×2 rule), not the base points', {}, lineRefund('B', 1), reverse('pending', 40, 40, [['rf', 40]])],
    ['more quantity than bought is capped at the line', {}, lineRefund('B', 5), reverse('pending', 40, 40, [['rf', 40]])],
    ['by amount: in proportion to the money paid', { awardStatus: 'available' }, amountRefund(2_500), reverse('available', 25, 25, [['rf', 25]])],
    ['by amount, more than paid: capped at the award', {}, amountRefund(50_000), reverse('pending', 100, 100, [['rf', 100]])],
  ])('%s', (_, over, refunds, expected) => {
    expect(planReversal(awarded(over), refunds)).toEqual(expected);
  });

  // D5: every reversal names the refund it answers for.
  it.each<[string, Partial<OrderRecord>, RefundRecord[], string | null, [string | null, number][]]>([
    ['the refund being applied takes what is new, though another occurred later',
      { reversedPoints: 30 }, [...lineRefund('B', 1, 0, 'rf-2', 30), ...lineRefund('A', 1, 0, 'rf-1', 60)], 'rf-2', [['rf-2', 40]]],
    ['an award arriving after its refunds: each refund its share, as they occurred',
      {}, [...lineRefund('B', 1, 0, 'rf-2', 30), ...lineRefund('A', 1, 0, 'rf-1', 60)], null, [['rf-2', 40], ['rf-1', 30]]],
    ['a refund past the cap names only what it still took', { reversedPoints: 90 }, [...amountRefund(9_000, 'rf-1'), ...amountRefund(9_000, 'rf-2', 90)], 'rf-2',
      [['rf-2', 10]]],
    ['a cancellation after a refund not yet reversed: the refund first, the rest the cancellation\'s',
      { awardStatus: 'available', cancelledAt: later(120), reversedPoints: 30 }, [...lineRefund('A', 1, 0, 'rf-1'), ...lineRefund('B', 1, 0, 'rf-2', 90)], null,
      [['rf-2', 40], [null, 30]]],
  ])('%s', (_, over, refunds, causedBy, causes) => {
    const reversal = planReversal(awarded(over), refunds, causedBy);
    expect(reversal.kind).toBe('reverse');
    if (reversal.kind !== 'reverse') return;
    expect(reversal.causes.map((c) => [c.refundId, c.points])).toEqual(causes);
    expect(reversal.causes.reduce((sum, c) => sum + c.points, 0)).toBe(reversal.points);
  });
});

describe('settlementPlan (D5 negativeBalance)', () => {
  const reverse = (points: number, from: 'pending' | 'available' = 'available', causes: Cause[] = [{ refundId: 'rf', points }]) =>
    ({ kind: 'reverse' as const, from, points, reversedPoints: points, causes });
  type Moves = [string, string | null, number, string | null][];
  it.each<[string, ReturnType<typeof planReversal>, 'allow' | 'writeoff', number, { moves: Moves; changes: Partial<OrderRecord> }]>([
    ['nothing', { kind: 'none' }, 'allow', 0, { moves: [], changes: {} }],
    ['void', { kind: 'void', points: 70 }, 'allow', 0, { moves: [['void', 'pending', 70, null]], changes: { awardStatus: 'void' } }],
    ['void of nothing left: no entry, still void', { kind: 'void', points: 0 }, 'allow', 0, { moves: [], changes: { awardStatus: 'void' } }],
    ['pending first', reverse(30, 'pending'), 'writeoff', 0, { moves: [['reverse', 'pending', 30, 'rf']], changes: { reversedPoints: 30 } }],
    ['allow: into debt', reverse(30), 'allow', 10, { moves: [['reverse', 'available', 30, 'rf']], changes: { reversedPoints: 30 } }],
    ['writeoff: covered in full', reverse(30), 'writeoff', 50, { moves: [['reverse', 'available', 30, 'rf']], changes: { reversedPoints: 30, writtenOffPoints: 0 } }],
    ['writeoff: the shortfall forgiven', reverse(30), 'writeoff', 10,
      { moves: [['reverse', 'available', 10, 'rf'], ['writeoff', null, 20, 'rf']], changes: { reversedPoints: 30, writtenOffPoints: 20 } }],
    ['writeoff: a member already in debt covers nothing', reverse(30), 'writeoff', -5,
      { moves: [['writeoff', null, 30, 'rf']], changes: { reversedPoints: 30, writtenOffPoints: 30 } }],
    ['one entry per cause, each naming its refund', reverse(70, 'pending', [{ refundId: 'rf-1', points: 30 }, { refundId: 'rf-2', points: 40 }]), 'allow', 0,
      { moves: [['reverse', 'pending', 30, 'rf-1'], ['reverse', 'pending', 40, 'rf-2']], changes: { reversedPoints: 70 } }],
    ['writeoff over two causes: the balance covers the first, then part of the second',
      reverse(30, 'available', [{ refundId: 'rf-1', points: 20 }, { refundId: 'rf-2', points: 10 }]), 'writeoff', 25,
      { moves: [['reverse', 'available', 20, 'rf-1'], ['reverse', 'available', 5, 'rf-2'], ['writeoff', null, 5, 'rf-2']],
        changes: { reversedPoints: 30, writtenOffPoints: 5 } }],
    ['a cancellation names no refund', reverse(30, 'available', [{ refundId: null, points: 30 }]), 'writeoff', 10,
      { moves: [['reverse', 'available', 10, null], ['writeoff', null, 20, null]], changes: { reversedPoints: 30, writtenOffPoints: 20 } }],
  ])('%s', (_, reversal, negativeBalance, available, expected) => {
    const plan = settlementPlan(awarded({ awardStatus: 'available' }), reversal, settings({ negativeBalance }), available);
    expect(plan.postings.map((p) => [p.move.kind, p.move.from, p.move.points, p.refundId ?? null])).toEqual(expected.moves);
    expect(plan.changes).toEqual(expected.changes);
    expect(plan.postings.every((p) => p.allowNegative !== true || negativeBalance === 'allow')).toBe(true);
  });

  it('needs the balance only for a write-off from available points', () => {
    expect(needsBalance(reverse(1), settings({ negativeBalance: 'writeoff' }))).toBe(true);
    expect(needsBalance(reverse(1), settings({ negativeBalance: 'allow' }))).toBe(false);
    expect(needsBalance(reverse(1, 'pending'), settings({ negativeBalance: 'writeoff' }))).toBe(false);
    expect(needsBalance({ kind: 'void', points: 1 }, settings({ negativeBalance: 'writeoff' }))).toBe(false);
  });
});

describe('planMaturity (D3, D8) and planClaim (D10)', () => {
  it('matures what was not reversed, into a lot expiring per the policy', () => {
    const plan = planMaturity(awarded({ reversedPoints: 30 }), settings({ expiry: { policy: 'afterMonths', months: 12 } }));
    expect(plan.postings).toEqual([{ move: { kind: 'mature', from: 'pending', to: 'available', points: 70 }, lotExpiresAt: new Date('2027-03-15T10:00:00Z') }]);
    expect(plan.changes).toEqual({ awardStatus: 'available' });
  });

  it.each<[string, OrderRecord['awardStatus'], string[]]>([
    ['a pending award arrives pending', 'pending', ['earn']],
    ['a matured award arrives matured', 'available', ['earn', 'mature']],
    ['a voided award brings nothing', 'void', []],
  ])('%s', (_, awardStatus, kinds) => {
    const plan = planClaim(awarded({ memberId: null, awardStatus, reversedPoints: 10 }), { id: 'm9', customerId: 'c9' }, settings());
    expect(plan.postings.map((p) => p.move.kind)).toEqual(kinds);
    expect(plan.postings.every((p) => p.move.points === 90)).toBe(true);
    expect(plan.changes).toEqual({ memberId: 'm9', customerId: 'c9' });
  });
});

describe('redemptionStep (D6)', () => {
  const committed = { redemptionId: 'r', redemptionStatus: 'committed' };
  const restore = (causes: [string | null, number][]) =>
    ({ kind: 'restore' as const, points: causes.reduce((sum, [, p]) => sum + p, 0), causes: causes.map(([refundId, points]) => ({ refundId, points })) });
  it.each<[string, Partial<OrderRecord>, { points: number; restoredPoints: number } | null, RefundRecord[], string | null, ReturnType<typeof redemptionStep>]>([
    ['no redemption', {}, null, [], null, { kind: 'none' }],
    ['a held redemption on a cancelled order goes back', { redemptionId: 'r', redemptionStatus: 'held', cancelledAt: later(1) }, null, [], null, { kind: 'release' }],
    ['a committed one on a cancelled order is restored whole, naming no refund', { ...committed, cancelledAt: later(1) },
      { points: 300, restoredPoints: 100 }, [], null, restore([[null, 200]])],
    ['a quarter refunded restores a quarter, naming the refund', committed, { points: 300, restoredPoints: 0 }, amountRefund(2_500), 'rf', restore([['rf', 75]])],
    ['already restored that far: nothing', committed, { points: 300, restoredPoints: 75 }, amountRefund(2_500), null, { kind: 'none' }],
    ['a second quarter, occurred before the first: it names itself', committed, { points: 300, restoredPoints: 75 },
      [...amountRefund(2_500, 'rf-2', 30), ...amountRefund(2_500, 'rf-1', 60)], 'rf-2', restore([['rf-2', 75]])],
    ['cancelled after a refund not yet restored: the refund first, the rest the cancellation\'s', { ...committed, cancelledAt: later(120) },
      { points: 300, restoredPoints: 0 }, amountRefund(2_500, 'rf-1'), null, restore([['rf-1', 75], [null, 225]])],
    ['an expired hold stays as it is', { redemptionId: 'r', redemptionStatus: 'expired' }, null, amountRefund(2_500), null, { kind: 'none' }],
  ])('%s', (_, over, redemption, refunds, causedBy, expected) => {
    expect(redemptionStep(awarded(over as Partial<OrderRecord>), redemption, refunds, causedBy)).toEqual(expected);
  });
});

describe('the lock-free path (D3)', () => {
  it.each<[string, Parameters<typeof mayAwardLockFree>[0], Partial<OrderData>, Partial<ProgramSettings>, boolean, boolean]>([
    ['a known customer completing', 'order.completed', {}, {}, false, true],
    ['a guest', 'order.completed', { customer: { id: null, email: 'g@x.pl' } }, {}, false, false],
    ['an order that spends points', 'order.completed', { pointsRedeemed: { redemptionId: 'r', points: 1, amount: 1 } }, {}, false, false],
    ['a cancellation', 'order.cancelled', {}, {}, false, false],
    ['a refund', 'order.refunded', {}, {}, false, false],
    ['a status that does not award', 'order.paid', {}, {}, false, false],
    ['paid, when paid awards', 'order.paid', {}, { awardOn: 'paid' }, false, true],
    ['a shop with a firstOrder rule', 'order.completed', {}, {}, true, false],
  ])('%s', (_, type, over, program, firstOrderRule, expected) => {
    const rules = firstOrderRule ? [{ id: 'r', version: 1, name: 'first', active: true, startsAt: null, endsAt: null, conditions: { firstOrder: true }, effect: { bonusPoints: 1, per: 'order' as const }, stackable: false }] : [];
    expect(mayAwardLockFree(type, { ...data, ...over }, settings(program), rules)).toBe(expected);
  });

  it.each<[string, Partial<OrderRecord>, boolean]>([
    ['an order seen but not awarded', { awardStatus: null }, true],
    ['another member', { awardStatus: null, memberId: 'm2' }, false],
    ['already awarded', { awardStatus: 'pending' }, false],
    ['cancelled', { awardStatus: null, cancelledAt: later(1) }, false],
    ['refunded', { awardStatus: null, refundCount: 1 }, false],
    ['with a redemption', { awardStatus: null, redemptionId: 'r' }, false],
  ])('an order as read: %s → %s', (_, over, expected) => {
    expect(untouched(awarded(over), 'm1')).toBe(expected);
  });
});

describe('refundFacts (D5)', () => {
  it('sums refunds per line and by amount alone', () => {
    const at = T0;
    const facts = refundFacts([
      { refundId: 'r1', orderId: 'o1', amount: 3_000, lines: [{ lineId: 'A', quantity: 1, amount: 3_000 }], reason: null, occurredAt: at },
      { refundId: 'r2', orderId: 'o1', amount: 500, lines: null, reason: null, occurredAt: at },
      { refundId: 'r3', orderId: 'o1', amount: 3_500, lines: [{ lineId: 'A', quantity: 1, amount: 3_000 }, { lineId: 'B', quantity: 0, amount: 500 }], reason: null, occurredAt: at },
      { refundId: 'r4', orderId: 'o1', amount: 200, lines: [], reason: null, occurredAt: at },
    ]);
    expect(facts.amountOnly).toBe(700);
    expect([...facts.lines]).toEqual([['A', { quantity: 2, amount: 6_000 }], ['B', { quantity: 0, amount: 500 }]]);
  });
});

describe('amounts within 2^53 − 1 (D1)', () => {
  const MAX = Number.MAX_SAFE_INTEGER;
  const line = (id: string, total: number) => ({ id, quantity: 1, unitPrice: total, total, discount: 0 });
  const withLines = (totals: number[], over: Partial<OrderData> = {}): OrderData => ({ ...data, currency: 'JPY', lines: totals.map((t, i) => line(String(i + 1), t)), ...over });
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
      return null;
    } catch (error) {
      return (error as { code?: string }).code;
    }
  };

  it.each<[string, OrderData, string | null]>([
    ['lines of 2^53 − 1 in all', withLines([MAX - 1, 1]), null],
    ['lines past it', withLines([2 ** 52, 2 ** 52]), 'validation_failed'],
    ['lines with tax past it', withLines([MAX - 1], { tax: 2 }), 'validation_failed'],
    ['lines with shipping past it', withLines([MAX - 1], { shipping: 2 }), 'validation_failed'],
  ])('checkAmounts: %s → %s', (_, order, code) => {
    expect(codeOf(() => checkAmounts(order))).toBe(code);
  });

  it.each<[string, OrderData, Partial<ProgramSettings>, string | null]>([
    ['an award of 2^53 − 1 points', withLines([MAX]), { currency: 'JPY' }, null],
    ['an award past it (points per unit)', withLines([MAX]), { currency: 'JPY', pointsPerUnit: 2 }, 'out_of_range'],
    ['an eligible amount past it (exchange rate)', withLines([MAX], { currency: 'USD', exchangeRate: 150 }), { currency: 'JPY', pointsPerUnit: 0 }, 'out_of_range'],
  ])('planAward: %s → %s', (_, order, program, code) => {
    expect(codeOf(() => planAward(order, T0, settings(program), [], true))).toBe(code);
  });
});
