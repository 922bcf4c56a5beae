import type { Database } from '../../db/client.ts';
import { groupCommit, type GroupCommitOptions } from '../common/group-commit.ts';
import { newId } from '../common/ids.ts';
import { normaliseProfile } from '../members/member-rules.ts';
import type { Member } from '../members/member-types.ts';
import type { OrderData } from './order-types.ts';
import { orderEventSnapshots, writeAwards, type AwardWrite, type SnapshotKey } from './order-batch-repo.ts';
import type { OrderEventSnapshot } from './order-event-repo.ts';

export type AwardBatches = ReturnType<typeof createAwardBatches>;

/**
 * Group commit for the order events' lock-free path (D13, D15): concurrent events share their read (one statement
 * for all their snapshots) and their write (one statement for all their awards), each still answered on its own.
 * An event's write is kept out of the shared statement's effect when its own guard fails (the caller then applies
 * it under locks); when the shared statement fails as a whole, each award is written again alone (group-commit.ts),
 * so one bad event never fails the others.
 */
export function createAwardBatches(database: Database, options: GroupCommitOptions = { concurrency: 4, maxBatch: 64 }) {
  const { db } = database;
  const reads = groupCommit<SnapshotKey, OrderEventSnapshot>((keys) => orderEventSnapshots(db, keys), options);
  const writes = groupCommit<AwardWrite, number | null>(async (awards) => {
    const written = await writeAwards(db, awards);
    return awards.map((award) => written.get(award.posting.entry.id) ?? null);
  }, options);

  return {
    /** The event's snapshot, read with the others' waiting now. */
    read: (key: SnapshotKey) => reads.submit(key),
    /** Writes the award with the others' waiting now: its entry's seq, or null when its guard failed. */
    write: (award: AwardWrite) => writes.submit(award),
    stats: () => ({ reads: reads.stats(), writes: writes.stats() }),
  };
}

/**
 * The member a customer Lojal has not seen becomes with its first order, before that order's award: inserted by the
 * award's own statement (version 0 here, 1 once the award is posted). Null when the shop gives a sign-up bonus
 * (D11): that member is created under locks, in the transaction that gives the bonus.
 */
export function newMember(shopId: string, data: OrderData, signupBonus: number, now: Date): (Member & { fresh: true }) | null {
  const customer = data.customer;
  if (!customer?.id || signupBonus > 0) return null;
  const profile = normaliseProfile({ ...customer, referredBy: null });
  return {
    ...profile,
    shopId,
    id: newId('mem', now.getTime()),
    customerId: customer.id,
    balance: { pending: 0, available: 0, held: 0 },
    lifetime: { earned: 0, redeemed: 0, expired: 0 },
    tier: { id: null, since: null, reviewAt: null, heldUntil: null },
    version: 0,
    lastActivityAt: null,
    createdAt: now,
    updatedAt: now,
    erasedAt: null,
    fresh: true,
  };
}
