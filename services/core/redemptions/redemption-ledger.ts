import type { Tx } from '../../db/tx.ts';
import { restoredTakes } from '../ledger/entry-repo.ts';
import { movementsOf } from '../ledger/lot-movement-repo.ts';
import { LOT_PAGE, post, tryPost, type Posting } from '../ledger/posting.ts';
import { redemptionSnapshot } from '../ledger/posting-repo.ts';
import type { LotTake } from '../ledger/ledger-types.ts';
import { lockMemberById } from '../members/member-repo.ts';
import type { Member } from '../members/member-types.ts';
import type { ProgramService } from '../program/program-service.ts';
import type { Clock } from '../common/clock.ts';
import * as repo from './redemption-repo.ts';
import { planRestore } from './redemption-rules.ts';
import type { Redemption } from './redemption-types.ts';

export type RedemptionLedger = ReturnType<typeof createRedemptionLedger>;
export type CommitOutcome = 'committed' | 'expired' | 'conflict' | 'missing';

const DAY_MS = 86_400_000;

/**
 * What redemptions do to the ledger inside a caller's transaction, under row locks (D6): release, commit and
 * restore. Orders use them while applying an order event; the redemption service for its locked paths.
 */
export function createRedemptionLedger({ clock, program }: { clock: Clock; program: ProgramService }) {
  /** held → available, the hold marked `status` (released by a person, expired by its TTL). */
  async function releaseHold(tx: Tx, r: Redemption, status: 'released' | 'expired', actor: string): Promise<void> {
    const now = clock.now();
    await post(tx, await memberOf(tx, r), { move: { kind: 'release', from: 'held', to: 'available', points: r.points }, actor, redemptionId: r.id }, now);
    await repo.saveRedemption(tx, { ...r, status, updatedAt: now });
    r.status = status;
  }

  /**
   * Commits a hold for an order: held points are burnt against lots soonest-expiring first. Returns what
   * happened; an expired hold is released here (and stays released) and reported as 'expired'.
   */
  async function commitIn(tx: Tx, shopId: string, id: string, orderId: string, actor: string): Promise<CommitOutcome> {
    // The hold, its member and the member's first lots, locked, in one round trip.
    const snap = await redemptionSnapshot(tx, shopId, id, LOT_PAGE, true);
    if (!snap) return 'missing';
    const r = snap.redemption;
    if (r.status === 'committed') return r.orderId === orderId ? 'committed' : 'conflict';
    if (r.status !== 'held') return 'expired';
    const now = clock.now();
    if (r.expiresAt <= now) {
      await releaseHold(tx, r, 'expired', 'system');
      return 'expired';
    }
    const posted = await tryPost(tx, snap.member, commitPosting(r, orderId, actor), now, snap.lots);
    if (!posted) throw new Error(`ledger invariant: member ${snap.member.id} changed under its row lock`);
    return 'committed';
  }

  /** D6 restore: `points` more of a committed redemption back into the lots they came from (grace for expired ones). */
  async function restoreIn(tx: Tx, shopId: string, id: string, points: number, refundId: string | null): Promise<number> {
    const r = await repo.lockRedemption(tx, shopId, id);
    if (!r || r.status !== 'committed' || !r.commitEntryId) return 0;
    const give = Math.min(points, r.points - r.restoredPoints);
    if (give <= 0) return 0;
    const consumed = (await movementsOf(tx, shopId, [r.commitEntryId])).map((m) => ({ lotId: m.lotId, points: -m.points }));
    const takes = planRestore(consumed, perLot(await restoredTakes(tx, shopId, r.id)), give);
    const graceDays = (await program.get(shopId, tx)).restoreGraceDays;
    const now = clock.now();
    const posting = restorePosting(r, give, takes, refundId, new Date(now.getTime() + graceDays * DAY_MS));
    await post(tx, await memberOf(tx, r), posting, now);
    await repo.saveRedemption(tx, { ...r, restoredPoints: r.restoredPoints + give, updatedAt: now });
    return give;
  }

  return {
    releaseHold,
    commitIn,
    restoreIn,

    /** Releases a hold if it is still held (an order carrying it was cancelled). */
    async releaseIn(tx: Tx, shopId: string, id: string): Promise<boolean> {
      const r = await repo.lockRedemption(tx, shopId, id);
      if (!r || r.status !== 'held') return false;
      await releaseHold(tx, r, 'released', 'storefront');
      return true;
    },
  };
}

/** The posting that burns a hold's points and marks it committed to the order, under the member's guard. */
export function commitPosting(r: Redemption, orderId: string, actor: string) {
  return {
    move: { kind: 'commit', from: 'held', to: null, points: r.points },
    actor,
    redemptionId: r.id,
    orderId,
    attach: repo.committedRows(r.id, orderId),
  } as const;
}

/** D6: `points` back into the lots they were taken from (`takes`); lots expired meanwhile live until `graceUntil`. */
function restorePosting(r: Redemption, points: number, takes: LotTake[], refundId: string | null, graceUntil: Date): Posting {
  return {
    move: { kind: 'restore', from: null, to: 'available', points },
    actor: 'storefront',
    redemptionId: r.id,
    orderId: r.orderId,
    refundId,
    restoreTo: { takes, graceUntil },
    metadata: { takes },
  };
}

async function memberOf(tx: Tx, r: Redemption): Promise<Member> {
  const member = await lockMemberById(tx, r.shopId, r.memberId);
  if (!member) throw new Error(`redemption ${r.id} names a missing member`);
  return member;
}

function perLot(takes: LotTake[]): Map<string, number> {
  const sofar = new Map<string, number>();
  for (const t of takes) sofar.set(t.lotId, (sofar.get(t.lotId) ?? 0) + t.points);
  return sofar;
}
