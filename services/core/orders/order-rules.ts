import { computeAward, reversalTarget, type RefundFacts } from '../earning/earning-rules.ts';
import type { AwardPlan, EarningContext, EarningOrder, EarningRule, LineSnapshot } from '../earning/earning-types.ts';
import { lotExpiry } from '../earning/expiry-rules.ts';
import type { Move } from '../ledger/ledger-types.ts';
import type { ProgramSettings } from '../program/program-types.ts';
import { restoreTarget } from '../redemptions/redemption-rules.ts';
import { DomainError, outOfRange, validationFailed } from '../common/errors.ts';
import { inRange, isCurrency, MAX_AMOUNT } from '../common/money.ts';
import type { OrderData, OrderEventType, OrderRecord, RefundRecord } from './order-types.ts';
import { addRefund, causeMarks, refundFacts, shareOut, type Cause } from './refund-rules.ts';

export { refundFacts, type Cause };

/**
 * The decisions an order event makes, as pure functions of the order's facts (D2–D6, D10): whether to award,
 * what the award is, what a cancellation or refunds reverse, when the award matures, what its redemption needs.
 * Both the lock-free and the locked path decide here; the services only read, post and save.
 */

const DAY_MS = 86_400_000;

/** A posting an order asks of its member's ledger. */
export interface OrderPosting {
  move: Move;
  /** D5: the refund a reversal, restore or write-off answers for; none for a cancellation. */
  refundId?: string | null;
  allowNegative?: boolean;
  /** A credit to available makes a lot expiring then (D8). */
  lotExpiresAt?: Date | null;
}

/** What a planner decided: the postings to make, in order, and the order's new facts. */
export interface OrderPlan {
  postings: OrderPosting[];
  changes: Partial<OrderRecord>;
}

const NOTHING: OrderPlan = { postings: [], changes: {} };

/** The row of an order Lojal sees for the first time, as its first event describes it. */
export function newOrder(shopId: string, data: OrderData, status: string, statusAt: Date, now: Date): OrderRecord {
  const rate = rateOf(data);
  return {
    shopId, orderId: data.id, number: data.number ?? null, customerId: data.customer?.id ?? null, memberId: null,
    guestEmail: data.customer?.id ? null : (data.customer?.email?.toLowerCase() ?? null),
    status, statusAt, cancelledAt: null, currency: data.currency,
    exchangeRate: rate === null ? null : String(rate), data,
    awardStatus: null, awardPoints: null, awardEligible: null, awardedAt: null, awardAvailableAt: null, awardLines: null,
    awardRules: null, awardOrderTotal: null, refundCount: 0, reversedPoints: 0, writtenOffPoints: 0,
    redemptionId: null, redemptionStatus: null, version: 0, createdAt: now, updatedAt: now,
  };
}

/** The latest event by occurredAt sets the order's status and data (D3); an older one only adds its facts. */
export function statusChange(order: OrderRecord, status: string, occurredAt: Date, data: OrderData): Partial<OrderRecord> {
  return occurredAt >= order.statusAt ? { status, statusAt: occurredAt, data, number: data.number ?? order.number } : {};
}

/** D3: the program's `awardOn` status awards; an order already awarded is a duplicate of it. */
export function awardDecision(type: OrderEventType, settings: ProgramSettings, order: Pick<OrderRecord, 'awardStatus'>): 'award' | 'duplicate' | 'none' {
  const trigger = type === 'order.completed' || (type === 'order.paid' && settings.awardOn === 'paid');
  if (!trigger) return 'none';
  return order.awardStatus ? 'duplicate' : 'award';
}

/** D1: an order in another currency needs the rate to the program's. Throws validation_failed, currency_mismatch. */
export function checkCurrency(data: OrderData, settings: ProgramSettings): void {
  if (!isCurrency(data.currency)) {
    throw validationFailed([{ field: '/data/order/currency', message: 'must be an ISO 4217 currency code' }]);
  }
  if (data.currency !== settings.currency && rateOf(data) === null) {
    throw new DomainError(
      'currency_mismatch',
      `The order is in ${data.currency}, the program in ${settings.currency}: send exchangeRate (${settings.currency} per ${data.currency})`,
    );
  }
}

/** D1: the order's rate, or null when it has none: absent or null, as a storefront may send either. */
export function rateOf(data: Pick<OrderData, 'exchangeRate'>): number | null {
  return data.exchangeRate ?? null;
}

/**
 * D1: the order's money adds up within 2^53 − 1. The event's schema checks each amount; earning and refunds add
 * the lines' totals, tax and shipping, so their sum must stay exact too. Throws validation_failed.
 */
export function checkAmounts(data: OrderData, field = '/data/order/lines'): void {
  const sum = data.lines.reduce((total, line) => total + BigInt(line.total), BigInt(data.tax) + BigInt(data.shipping));
  if (sum > BigInt(MAX_AMOUNT)) {
    throw validationFailed([{ field, message: `line totals, tax and shipping add up to more than ${MAX_AMOUNT}` }]);
  }
}

/** Only a firstOrder rule needs the member's history (D12). */
export function needsHistory(shopRules: EarningRule[]): boolean {
  return shopRules.some((r) => r.conditions.firstOrder === true);
}

/**
 * D2/D12/D9: what the order's lines earn under the program, the shop's rules and the tier, and the money paid for
 * them (`orderTotal`). An award and the earning quote both decide here. Throws out_of_range.
 */
export function earningPlan(
  data: OrderData,
  settings: ProgramSettings,
  shopRules: EarningRule[],
  ctx: EarningContext,
  what = "The order's award",
): { plan: AwardPlan; orderTotal: number } {
  const plan = computeAward(toEarningOrder(data), settings, shopRules, ctx);
  const orderTotal = plan.lines.reduce((total: number, line: LineSnapshot) => total + line.paid, 0);
  // D1: a large amount times pointsPerUnit, an exchange rate or multipliers can pass 2^53 − 1: refused, not rounded.
  const figures = [plan.points, plan.eligible, orderTotal, ...plan.lines.flatMap((l) => [l.eligible, l.basePoints, l.bonusPoints, l.points])];
  if (!figures.every(inRange)) throw outOfRange(what);
  return { plan, orderTotal };
}

/** D2/D3: the award's points and facts, pending until `pendingDays` after the event that earned it. Throws out_of_range. */
export function planAward(
  data: OrderData,
  occurredAt: Date,
  settings: ProgramSettings,
  shopRules: EarningRule[],
  firstOrder: boolean,
  tier: { tierId: string | null; tierMultiplier: number } = { tierId: null, tierMultiplier: 1 },
): { points: number; changes: Partial<OrderRecord> } {
  const { plan, orderTotal } = earningPlan(data, settings, shopRules, { ...tier, firstOrder });
  return {
    points: plan.points,
    changes: {
      awardStatus: 'pending',
      awardPoints: plan.points,
      awardEligible: plan.eligible,
      awardedAt: occurredAt,
      awardAvailableAt: new Date(occurredAt.getTime() + settings.pendingDays * DAY_MS),
      awardLines: plan.lines,
      awardRules: plan.rulesApplied,
      // D5: refunds by amount are measured against the money paid for what earned points.
      awardOrderTotal: orderTotal,
    },
  };
}

/** D3: pending → available for the award's points not reversed meanwhile; the lot expires per D8. */
export function planMaturity(order: OrderRecord, settings: ProgramSettings): OrderPlan {
  const points = (order.awardPoints ?? 0) - order.reversedPoints;
  const lotExpiresAt = lotExpiry(settings.expiry, order.awardAvailableAt!);
  return plan([{ move: { kind: 'mature', from: 'pending', to: 'available', points }, lotExpiresAt }], { awardStatus: 'available' });
}

/** What a cancellation or refunds ask of the award now (D4/D5), before the balance is looked at. */
export type Reversal =
  | { kind: 'none' }
  | { kind: 'void'; points: number }
  | { kind: 'reverse'; from: 'pending' | 'available'; points: number; reversedPoints: number; causes: Cause[] };

/**
 * D4/D5: a cancellation voids pending points or, once matured, counts as a full refund; refunds reverse up to
 * their cumulative target (capped by the award), pending points first. `refunds` as they occurred; `causedBy`, the
 * refund the event being applied recorded: what the reversal takes is shared out among the refunds that caused it.
 */
export function planReversal(order: OrderRecord, refunds: RefundRecord[], causedBy: string | null = null): Reversal {
  if (!order.awardStatus || order.awardStatus === 'void') return { kind: 'none' };
  const cancelled = order.cancelledAt !== null && order.awardedAt !== null && order.cancelledAt >= order.awardedAt;
  const awardPoints = order.awardPoints ?? 0;
  if (cancelled && order.awardStatus === 'pending') return { kind: 'void', points: awardPoints - order.reversedPoints };
  const targetOf = (facts: RefundFacts) => reversalTarget(order.awardLines ?? [], order.awardOrderTotal ?? 0, awardPoints, facts);
  const sofar: RefundFacts = { lines: new Map(), amountOnly: 0 };
  const marks = causeMarks(refunds, causedBy, (refund) => targetOf(addRefund(sofar, refund)));
  if (cancelled) marks.push({ refundId: null, upTo: awardPoints });
  const target = cancelled ? awardPoints : targetOf(refundFacts(refunds));
  const delta = target - order.reversedPoints;
  if (delta <= 0) return { kind: 'none' };
  const causes = shareOut(order.reversedPoints, target, marks);
  return { kind: 'reverse', from: order.awardStatus, points: delta, reversedPoints: order.reversedPoints + delta, causes };
}

/**
 * D5: the postings of a reversal, one per cause. From the available balance (`available`, the member's now;
 * needed only then), what it lacks becomes debt or is written off, per the program's `negativeBalance`.
 */
export function settlementPlan(order: OrderRecord, reversal: Reversal, settings: ProgramSettings, available = 0): OrderPlan {
  if (reversal.kind === 'none') return NOTHING;
  if (reversal.kind === 'void') return plan([{ move: { kind: 'void', from: 'pending', to: null, points: reversal.points } }], { awardStatus: 'void' });
  const { from, points, reversedPoints, causes } = reversal;
  const reverse = (p: number): Move => ({ kind: 'reverse', from, to: null, points: p });
  if (from === 'pending') return plan(causes.map((c) => ({ move: reverse(c.points), refundId: c.refundId })), { reversedPoints });
  if (settings.negativeBalance === 'allow') {
    return plan(causes.map((c) => ({ move: reverse(c.points), refundId: c.refundId, allowNegative: true })), { reversedPoints });
  }
  let cover = Math.max(available, 0);
  const postings = causes.flatMap(({ refundId, points: p }): OrderPosting[] => {
    const covered = Math.min(p, cover);
    cover -= covered;
    return [{ move: reverse(covered), refundId }, { move: { kind: 'writeoff', from: null, to: null, points: p - covered }, refundId }];
  });
  const covered = Math.min(points, Math.max(available, 0));
  return plan(postings, { reversedPoints, writtenOffPoints: order.writtenOffPoints + points - covered });
}

/** Whether a reversal's plan depends on the member's available balance (a write-off of what it lacks). */
export function needsBalance(reversal: Reversal, settings: ProgramSettings): boolean {
  return reversal.kind === 'reverse' && reversal.from === 'available' && settings.negativeBalance === 'writeoff';
}

/** A plan without empty postings (a void of nothing, a write-off of nothing). */
function plan(postings: OrderPosting[], changes: Partial<OrderRecord>): OrderPlan {
  return { postings: postings.filter((p) => p.move.points > 0), changes };
}

/** D10: a guest order claimed by a member: its open points arrive as they stand now (pending, or matured). */
export function planClaim(order: OrderRecord, member: { id: string; customerId: string }, settings: ProgramSettings): OrderPlan {
  const open = (order.awardPoints ?? 0) - order.reversedPoints;
  const postings: OrderPosting[] = [];
  if (order.awardStatus === 'pending' || order.awardStatus === 'available') {
    postings.push({ move: { kind: 'earn', from: null, to: 'pending', points: open } });
  }
  if (order.awardStatus === 'available') postings.push(...planMaturity(order, settings).postings);
  return plan(postings, { memberId: member.id, customerId: member.customerId });
}

/**
 * D6: what the order's redemption needs next. A redemption the order names for the first time is committed (or,
 * on a cancelled order, only noted as held); a cancelled order's hold goes back; a committed one restores the
 * refunded share of its points (`restore`: how many more, shared out among the refunds and cancellation that
 * caused them, as reversals are).
 */
export function redemptionStep(
  order: OrderRecord,
  redemption: { points: number; restoredPoints: number } | null,
  refunds: RefundRecord[],
  causedBy: string | null = null,
): { kind: 'none' } | { kind: 'release' } | { kind: 'restore'; points: number; causes: Cause[] } {
  if (!order.redemptionId) return { kind: 'none' };
  if (order.cancelledAt && order.redemptionStatus !== 'committed') return { kind: 'release' };
  if (order.redemptionStatus !== 'committed' || !redemption) return { kind: 'none' };
  const cancelled = order.cancelledAt !== null;
  const refunded = refunds.reduce((sum, r) => sum + r.amount, 0);
  let sofar = 0;
  const marks = causeMarks(refunds, causedBy, (r) => restoreTarget(redemption.points, (sofar += r.amount), order.data.total, false));
  if (cancelled) marks.push({ refundId: null, upTo: redemption.points });
  const target = restoreTarget(redemption.points, refunded, order.data.total, cancelled);
  if (target <= redemption.restoredPoints) return { kind: 'none' };
  return { kind: 'restore', points: target - redemption.restoredPoints, causes: shareOut(redemption.restoredPoints, target, marks) };
}

/**
 * Whether an event may take the lock-free path: the award of a known member's order that nothing unusual has
 * touched (no refund, cancellation, redemption, or guest; no firstOrder rule, whose answer no version read here
 * guards). Anything else is decided under locks.
 */
export function mayAwardLockFree(type: OrderEventType, data: OrderData, settings: ProgramSettings, shopRules: EarningRule[]): boolean {
  if (!data.customer?.id || data.pointsRedeemed?.redemptionId || type === 'order.cancelled' || type === 'order.refunded') return false;
  return awardDecision(type, settings, { awardStatus: null }) === 'award' && !needsHistory(shopRules);
}

/** The order as read still has nothing an award without locks would have to settle. */
export function untouched(order: OrderRecord, memberId: string): boolean {
  return order.memberId === memberId && !order.awardStatus && !order.cancelledAt && order.refundCount === 0 && !order.redemptionId;
}

export function toEarningOrder(data: OrderData): EarningOrder {
  return {
    id: data.id,
    currency: data.currency,
    exchangeRate: rateOf(data),
    lines: data.lines.map((l) => ({
      id: l.id, productId: l.productId ?? null, sku: l.sku ?? null, categories: l.categories ?? [],
      quantity: l.quantity, unitPrice: l.unitPrice, total: l.total, discount: l.discount,
    })),
    discount: data.discount,
    shipping: data.shipping,
    tax: data.tax,
    total: data.total,
    pointsAmount: data.pointsRedeemed?.amount ?? 0,
    placedAt: new Date(data.placedAt),
  };
}
