import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/tx.ts';
import { bonusPosting, SYSTEM_ACTOR } from '../bonuses/bonus-ledger.ts';
import { SIGNUP_REFERENCE } from '../bonuses/bonus-rules.ts';
import { groupCommit, type GroupCommitOptions } from '../common/group-commit.ts';
import { newId } from '../common/ids.ts';
import { normaliseProfile } from '../members/member-rules.ts';
import { tryPost } from '../ledger/posting.ts';
import type { Member } from '../members/member-types.ts';
import type { ProgramSettings } from '../program/program-types.ts';
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
 *
 * Two reads and two writes in flight at most: on a 2-core machine shared with PostgreSQL, two gave batches as large
 * as four did and cost PostgreSQL less per event (fewer backends taking turns on the cores); the rate was higher in
 * each of five runs of the events benchmark, two against four in turn (docs/operations.md, "Throughput").
 */
export function createAwardBatches(database: Database, options: GroupCommitOptions = { concurrency: 2, maxBatch: 64 }) {
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
 * The member a customer Lojal has not seen becomes with its first order, before that order's award (version 0 here,
 * as read nowhere): inserted by the award's own statement, or (with a sign-up bonus) by the bonus's (signupFirst).
 */
export function newMember(shopId: string, data: OrderData, now: Date): Member | null {
  const customer = data.customer;
  if (!customer?.id) return null;
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
  };
}

/**
 * D11: a new member's sign-up bonus, in the statement that creates the member (one statement more than a known
 * member's award, no transaction): the member after it (version 1), or null when the customer's member was created
 * meanwhile (nothing written; the caller goes the locked way).
 */
export async function signupFirst(executor: Executor, member: Member, settings: ProgramSettings, now: Date): Promise<Member | null> {
  const award = { kind: 'signup' as const, reference: SIGNUP_REFERENCE, points: settings.bonuses.signup, actor: SYSTEM_ACTOR };
  const posted = await tryPost(executor, member, { ...bonusPosting(award, settings, now), createsMember: true }, now);
  return posted?.member ?? null;
}
