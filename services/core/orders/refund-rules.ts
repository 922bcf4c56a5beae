import type { RefundFacts } from '../earning/earning-rules.ts';
import type { RefundRecord } from './order-types.ts';

/**
 * D5: which refund a reversal (or a restore of redeemed points, D6) answers for, as pure functions. Every reversal
 * entry names its refund; what a cancellation takes back names none.
 */

/** A share of a reversal or restore and what caused it: a refund (its id) or the cancellation (null). */
export interface Cause {
  refundId: string | null;
  points: number;
}

/** Where the cumulative target stands once a refund is counted (`upTo`); a cancellation's mark has no refund. */
export interface CauseMark {
  refundId: string | null;
  upTo: number;
}

/** D5: the refunds so far, summed per line and by amount alone. */
export function refundFacts(refunds: RefundRecord[]): RefundFacts {
  const facts: RefundFacts = { lines: new Map(), amountOnly: 0 };
  for (const refund of refunds) addRefund(facts, refund);
  return facts;
}

/** Counts one more refund into `facts` (changed in place, and returned). */
export function addRefund(facts: RefundFacts, refund: RefundRecord): RefundFacts {
  if (!refund.lines || refund.lines.length === 0) {
    facts.amountOnly += refund.amount;
    return facts;
  }
  for (const line of refund.lines) {
    const seen = facts.lines.get(line.lineId) ?? { quantity: 0, amount: 0 };
    facts.lines.set(line.lineId, { quantity: seen.quantity + line.quantity, amount: seen.amount + line.amount });
  }
  return facts;
}

/**
 * The mark of each refund, counted one after another (`targetAfter` counts one more and says the target so far):
 * in the order they occurred, but the one the event being applied recorded (`causedBy`) last, since what the
 * others asked for was taken back before it arrived. Marks never go down, so every point has one refund.
 */
export function causeMarks(refunds: RefundRecord[], causedBy: string | null, targetAfter: (refund: RefundRecord) => number): CauseMark[] {
  const ordered = [...refunds.filter((r) => r.refundId !== causedBy), ...refunds.filter((r) => r.refundId === causedBy)];
  const marks: CauseMark[] = [];
  let reached = 0;
  for (const refund of ordered) {
    reached = Math.max(reached, targetAfter(refund));
    marks.push({ refundId: refund.refundId, upTo: reached });
  }
  return marks;
}

/** The points from `from` (exclusive) to `to`, shared out: each goes to the first mark that reaches it. */
export function shareOut(from: number, to: number, marks: CauseMark[]): Cause[] {
  const causes: Cause[] = [];
  let low = from;
  for (const mark of marks) {
    const high = Math.min(mark.upTo, to);
    if (high > low) causes.push({ refundId: mark.refundId, points: high - low });
    low = Math.max(low, high);
  }
  return causes;
}
