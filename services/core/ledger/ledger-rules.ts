/**
 * Pure ledger rules (D13): bucket arithmetic, the points that lots must hold, and the order lots are consumed in.
 * No I/O; the writer applies what these decide, the check recomputes with the same functions.
 */
import { inRange } from '../common/money.ts';
import type { Buckets, Lifetime, LotTake, Move, OpenLot } from './ledger-types.ts';

export function applyMove(buckets: Buckets, move: Move): Buckets {
  const next = { ...buckets };
  if (move.from) next[move.from] -= move.points;
  if (move.to) next[move.to] += move.points;
  return next;
}

/**
 * D13: open lots hold exactly what the member can still spend or has on hold. Debt (available below zero) is
 * owed, not held in lots, so it counts as zero.
 */
export function lotBacked(buckets: Buckets): number {
  return Math.max(buckets.available, 0) + buckets.held;
}

/** Soonest-expiring first, lots without expiry last; ties by age, then id, so the order is total. */
export function consumptionOrder(a: OpenLot, b: OpenLot): number {
  const ax = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const bx = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (ax !== bx) return ax < bx ? -1 : 1;
  const ac = a.createdAt.getTime();
  const bc = b.createdAt.getTime();
  if (ac !== bc) return ac - bc;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Which lots give how much for `points`; throws if the lots cannot cover it (an invariant broken elsewhere). */
export function planConsumption(lots: readonly OpenLot[], points: number): LotTake[] {
  const takes: LotTake[] = [];
  let left = points;
  for (const lot of [...lots].sort(consumptionOrder)) {
    if (left === 0) break;
    const take = Math.min(lot.remaining, left);
    if (take > 0) {
      takes.push({ lotId: lot.id, points: take });
      left -= take;
    }
  }
  if (left > 0) throw new Error(`ledger invariant: lots short by ${left} points`);
  return takes;
}

/** How an entry moves the member's lifetime figures (D13); the check recomputes them with this. */
export function lifetimeDelta(move: Move): Lifetime {
  const { kind, from, to, points } = move;
  switch (kind) {
    case 'expire':
      return { earned: 0, redeemed: 0, expired: points };
    case 'commit':
      return { earned: 0, redeemed: points, expired: 0 };
    case 'restore':
      return { earned: 0, redeemed: -points, expired: 0 };
    default:
      if (to === 'available' && from !== 'held') return { earned: points, redeemed: 0, expired: 0 };
      if (from === 'available' && to === null) return { earned: -points, redeemed: 0, expired: 0 };
      return { earned: 0, redeemed: 0, expired: 0 };
  }
}

export function addLifetime(a: Lifetime, b: Lifetime): Lifetime {
  return { earned: a.earned + b.earned, redeemed: a.redeemed + b.redeemed, expired: a.expired + b.expired };
}

/**
 * D1: every figure stays within 2^53 − 1, and so does what the member will have once its pending points mature
 * (its buckets together; lifetime earned with pending): a maturity or a released hold moves points between
 * buckets and never fails a range check that the posting of those points passed.
 */
export function withinRange(b: Buckets, l: Lifetime): boolean {
  const figures = [b.pending, b.available, b.held, l.earned, l.redeemed, l.expired];
  return [...figures, Math.max(b.available, 0) + b.held + b.pending, l.earned + b.pending].every(inRange);
}
