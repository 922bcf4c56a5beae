/** Pure redemption rules (D6): how much may be used on an order, and how a refund gives points back. */
import { allocate } from '../earning/earning-rules.ts';
import type { LotTake } from '../ledger/ledger-types.ts';

export interface RedemptionLimits {
  pointValue: number;
  minPoints: number;
  maxPercentOfOrder: number;
}

export interface Quote {
  available: number;
  maxPoints: number;
  minPoints: number;
  pointValue: number;
  maxAmount: number;
}

/**
 * The most points one order may use: whole points, at most `maxPercentOfOrder` of the order's total, at most the
 * available balance, and none at all when that comes to less than `minPoints`.
 */
export function quote(available: number, orderTotal: number, limits: RedemptionLimits): Quote {
  // Exact: an order total near 2^53 − 1 times the percentage is past what a double holds exactly (D1).
  const byOrder = Number((BigInt(orderTotal) * BigInt(limits.maxPercentOfOrder)) / BigInt(100 * limits.pointValue));
  const most = Math.min(Math.max(available, 0), byOrder);
  const maxPoints = most >= Math.max(limits.minPoints, 1) ? most : 0;
  return {
    available: Math.max(available, 0),
    maxPoints,
    minPoints: limits.minPoints,
    pointValue: limits.pointValue,
    maxAmount: maxPoints * limits.pointValue,
  };
}

/** D6: redeemed points due back after refunds of `refunded` out of `paid` (money), or all of them on cancel. */
export function restoreTarget(redeemed: number, refunded: number, paid: number, cancelled: boolean): number {
  if (cancelled) return redeemed;
  if (refunded <= 0) return 0;
  if (paid <= 0) return redeemed;
  return Number((BigInt(redeemed) * BigInt(Math.min(refunded, paid))) / BigInt(paid));
}

/**
 * Which lots `points` go back into: the lots the commit consumed, in proportion to what each still has to get
 * back (largest remainder), so repeated partial restores end with every lot whole.
 */
export function planRestore(consumed: LotTake[], restoredSoFar: Map<string, number>, points: number): LotTake[] {
  const room = consumed.map((c) => Math.max(0, c.points - (restoredSoFar.get(c.lotId) ?? 0)));
  const total = room.reduce((a, b) => a + b, 0);
  const parts = allocate(Math.min(points, total), room);
  return consumed.map((c, i) => ({ lotId: c.lotId, points: parts[i]! })).filter((t) => t.points > 0);
}
