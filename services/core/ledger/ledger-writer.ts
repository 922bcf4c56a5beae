import type { Tx } from '../../db/tx.ts';
import { DomainError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Member } from '../members/member-types.ts';
import { saveBalances } from '../members/member-repo.ts';
import * as repo from './ledger-repo.ts';
import { addLifetime, applyMove, lifetimeDelta, lotBacked, planConsumption } from './ledger-rules.ts';
import type { Entry, EntryKind, EntryRefs, LotTake, Move, OpenLot } from './ledger-types.ts';

export interface Posting extends EntryRefs {
  move: Move;
  /** Who caused it: an API key id, `operator`, `system`, a job name. */
  actor: string;
  /** A credit to `available` makes a lot expiring then; null or absent: never (D8). */
  lotExpiresAt?: Date | null;
  /** D6 restore: the lots the points came from; lots expired by `now` come back as one lot until `graceUntil`. */
  restoreTo?: { takes: LotTake[]; graceUntil: Date };
  /** D8 expiry: take from this lot only. */
  fromLot?: OpenLot;
  /** A debit may leave `available` below zero (debt) only when the caller says so. */
  allowNegative?: boolean;
}

export interface Posted {
  entry: Entry;
  member: Member;
}

const ACTIVITY_KINDS: ReadonlySet<EntryKind> = new Set(['earn', 'bonus', 'import', 'commit', 'adjust']);

/**
 * Writes one ledger entry for a member whose row the transaction has locked, with its lot changes and the new
 * balances, all in `tx` (D13). Throws insufficient_points when a bucket would go below zero without permission.
 */
export async function post(tx: Tx, member: Member, posting: Posting, now: Date): Promise<Posted> {
  const { move } = posting;
  const before = member.balance;
  const after = applyMove(before, move);
  refuseOverdraw(before, after, posting);

  const shopId = member.shopId;
  const entryId = newId('ent', now.getTime());
  const plan = await planLots(tx, member, posting, entryId, lotBacked(after) - lotBacked(before), now);
  const entry = await repo.insertEntry(tx, shopId, {
    id: entryId,
    memberId: member.id,
    kind: move.kind,
    fromBucket: move.from,
    toBucket: move.to,
    points: move.points,
    actor: posting.actor,
    lotId: plan.newLot?.id ?? null,
    expiresAt: plan.newLot?.expiresAt ?? null,
    createdAt: now,
    orderId: posting.orderId ?? null,
    refundId: posting.refundId ?? null,
    redemptionId: posting.redemptionId ?? null,
    reference: posting.reference ?? null,
    reason: posting.reason ?? null,
    exchangeRate: posting.exchangeRate ?? null,
    correctsEntryId: posting.correctsEntryId ?? null,
    metadata: posting.metadata ?? null,
  });
  if (plan.newLot) {
    // Inserted empty: its creation is a movement like any other, applied with the rest just below.
    await repo.insertLot(tx, { shopId, memberId: member.id, entryId, remaining: 0, createdAt: now, ...plan.newLot });
  }
  await repo.changeRemainders(tx, shopId, netPerLot(plan.movements));
  await repo.insertMovements(tx, shopId, member.id, entryId, plan.movements);

  const next: Member = { ...member, balance: after, lifetime: addLifetime(member.lifetime, lifetimeDelta(move)) };
  const lastActivityAt = ACTIVITY_KINDS.has(move.kind) ? now : member.lastActivityAt;
  await saveBalances(tx, next, lastActivityAt);
  return { entry, member: { ...next, lastActivityAt } };
}

function refuseOverdraw(before: Member['balance'], after: Member['balance'], posting: Posting): void {
  const short = (bucket: string, has: number) =>
    new DomainError('insufficient_points', `${posting.move.points} points asked, ${has} ${bucket}`, {
      requested: posting.move.points,
      [bucket]: has,
    });
  if (after.pending < 0) throw short('pending', before.pending);
  if (after.held < 0) throw short('held', before.held);
  if (after.available < 0 && posting.move.from === 'available' && !posting.allowNegative) {
    throw short('available', before.available);
  }
}

interface LotPlan {
  newLot: { id: string; amount: number; expiresAt: Date | null } | null;
  /** Signed changes to lots' remainders, the new lot's creation included. */
  movements: { lotId: string; points: number }[];
}

/**
 * What the lots must do so that they again hold `available (≥ 0) + held` (D13): credit a new lot or restore into
 * old ones, then consume whatever the change in lot-backed points still asks for, soonest-expiring first.
 */
async function planLots(tx: Tx, member: Member, posting: Posting, entryId: string, delta: number, now: Date): Promise<LotPlan> {
  const { move } = posting;
  const movements: { lotId: string; points: number }[] = [];
  const touched: OpenLot[] = [];
  let newLot: LotPlan['newLot'] = null;
  let credited = 0;

  const addNewLot = (amount: number, expiresAt: Date | null) => {
    newLot = { id: newId('lot', now.getTime()), amount, expiresAt };
    movements.push({ lotId: newLot.id, points: amount });
    touched.push({ id: newLot.id, remaining: amount, amount, expiresAt, createdAt: now });
    credited += amount;
  };

  if (posting.restoreTo) {
    const lots = await repo.findLots(tx, member.shopId, posting.restoreTo.takes.map((t) => t.lotId));
    let toGrace = 0;
    for (const take of posting.restoreTo.takes) {
      const lot = lots.find((l) => l.id === take.lotId);
      const live = lot !== undefined && (lot.expiresAt === null || lot.expiresAt > now);
      const room = live ? Math.min(take.points, lot.amount - lot.remaining) : 0;
      if (lot && room > 0) {
        movements.push({ lotId: lot.id, points: room });
        touched.push({ ...lot, remaining: lot.remaining + room });
        credited += room;
      }
      toGrace += take.points - room;
    }
    if (toGrace > 0) addNewLot(toGrace, posting.restoreTo.graceUntil);
  } else if (move.to === 'available' && move.from !== 'held') {
    addNewLot(move.points, posting.lotExpiresAt ?? null);
  }

  const toConsume = credited - delta;
  if (toConsume < 0) throw new Error(`ledger invariant: ${-toConsume} points without a lot (entry ${entryId})`);
  if (toConsume > 0) {
    const candidates = posting.fromLot ? [posting.fromLot] : mergeLots(await repo.openLots(tx, member.shopId, member.id), touched);
    for (const take of planConsumption(candidates, toConsume)) movements.push({ lotId: take.lotId, points: -take.points });
  }
  return { newLot, movements: movements.filter((m) => m.points !== 0) };
}

function mergeLots(open: OpenLot[], touched: OpenLot[]): OpenLot[] {
  const byId = new Map(open.map((l) => [l.id, l]));
  for (const lot of touched) byId.set(lot.id, lot);
  return [...byId.values()];
}

/** The net change per lot: a lot may be both credited and consumed by one entry (a credit that repays debt). */
function netPerLot(movements: { lotId: string; points: number }[]): { lotId: string; points: number }[] {
  const net = new Map<string, number>();
  for (const m of movements) net.set(m.lotId, (net.get(m.lotId) ?? 0) + m.points);
  return [...net].filter(([, points]) => points !== 0).map(([lotId, points]) => ({ lotId, points }));
}
