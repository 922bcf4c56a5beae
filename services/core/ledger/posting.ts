import type { Executor, Tx } from '../../db/tx.ts';
import { DomainError, outOfRange } from '../common/errors.ts';
import { inRange } from '../common/money.ts';
import { newId } from '../common/ids.ts';
import type { Member } from '../members/member-types.ts';
import { findLots, openLotsInOrder } from './lot-repo.ts';
import { writePosting } from './posting-repo.ts';
import type { Attachment, PostingWrite } from './posting-types.ts';
import { addLifetime, applyMove, consumptionOrder, lifetimeDelta, lotBacked, planConsumption, withinRange } from './ledger-rules.ts';
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
  /** Rows of other tables written in the same statement, under the same guard (D6 hold and commit, order events). */
  attach?: Attachment;
  /** The member (version 0, as read nowhere) is new: the posting's statement creates it, if it is still absent. */
  createsMember?: boolean;
}

export interface Posted {
  entry: Entry;
  member: Member;
}

const ACTIVITY_KINDS: ReadonlySet<EntryKind> = new Set(['earn', 'bonus', 'import', 'commit', 'adjust']);
export const LOT_PAGE = 32;

/**
 * Writes one ledger entry for a member whose row the transaction has locked, with its lot changes and the new
 * balances, all in `tx` (D13). Throws insufficient_points when a bucket would go below zero without permission,
 * out_of_range when a figure would pass 2^53 − 1 (D1).
 */
export async function post(tx: Tx, member: Member, posting: Posting, now: Date): Promise<Posted> {
  const posted = await tryPost(tx, member, posting, now);
  if (!posted) throw new Error(`ledger invariant: member ${member.id} changed under its row lock`);
  return posted;
}

/**
 * Plans and writes one entry against the member as read (version `member.version`), with no lock: the write
 * applies only if nothing else posted for the member meanwhile, else null and nothing is written (plan again).
 * `firstLots` is the first page of the member's open lots, when the caller read it with the member.
 */
export async function tryPost(
  executor: Executor,
  member: Member,
  posting: Posting,
  now: Date,
  firstLots?: OpenLot[],
): Promise<Posted | null> {
  const planned = await planPosting(executor, member, posting, now, firstLots);
  const seq = await writePosting(executor, member.shopId, planned.write, posting.attach);
  if (seq === null) return null;
  planned.posted.entry.seq = seq;
  return planned.posted;
}

/**
 * The rows one posting writes (`write`) and what it leaves (`posted`: the entry, without its seq, and the member
 * after it), planned on the member as read. Reads lots only when the posting consumes more than `firstLots` holds.
 * Throws insufficient_points, out_of_range.
 */
export async function planPosting(
  executor: Executor,
  member: Member,
  posting: Posting,
  now: Date,
  firstLots?: OpenLot[],
): Promise<{ write: PostingWrite; posted: Posted }> {
  const { move } = posting;
  const before = member.balance;
  const after = applyMove(before, move);
  refuseOverdraw(before, after, posting);
  const lifetime = addLifetime(member.lifetime, lifetimeDelta(move));
  if (!inRange(move.points) || !withinRange(after, lifetime)) throw outOfRange("The member's balance or lifetime figures");

  const entryId = newId('ent', now.getTime());
  const plan = await planLots(executor, member, posting, lotBacked(after) - lotBacked(before), now, firstLots);
  const lastActivityAt = ACTIVITY_KINDS.has(move.kind) ? now : member.lastActivityAt;
  const entry: Entry = {
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
  };
  const create = posting.createsMember ? { customerId: member.customerId, profile: member, at: now } : undefined;
  const write = { entry, ...plan, member: { id: member.id, version: member.version, ...after, ...lifetime, lastActivityAt, create } };
  return { write, posted: { entry, member: { ...member, balance: after, lifetime, lastActivityAt, version: member.version + 1 } } };
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
  newLot: { id: string; amount: number; remaining: number; expiresAt: Date | null } | null;
  lotChanges: { lotId: string; points: number }[];
  movements: { lotId: string; points: number }[];
}

/**
 * What the lots must do so that they again hold `available (≥ 0) + held` (D13): credit a new lot or restore into
 * old ones, then consume whatever the change in lot-backed points still asks for. Consumption goes through the
 * lots this entry credited first (debt is repaid from what arrives), then the member's open lots
 * soonest-expiring first.
 */
async function planLots(
  tx: Executor,
  member: Member,
  posting: Posting,
  delta: number,
  now: Date,
  firstLots: OpenLot[] | undefined,
): Promise<LotPlan> {
  const { move } = posting;
  const movements: { lotId: string; points: number }[] = [];
  const credited: OpenLot[] = [];
  let newLot: { id: string; amount: number; expiresAt: Date | null } | null = null;

  const addNewLot = (amount: number, expiresAt: Date | null) => {
    newLot = { id: newId('lot', now.getTime()), amount, expiresAt };
    movements.push({ lotId: newLot.id, points: amount });
    credited.push({ id: newLot.id, remaining: amount, amount, expiresAt, createdAt: now });
  };

  if (posting.restoreTo) {
    const lots = await findLots(tx, member.shopId, posting.restoreTo.takes.map((t) => t.lotId));
    let toGrace = 0;
    for (const take of posting.restoreTo.takes) {
      const lot = lots.find((l) => l.id === take.lotId);
      const live = lot !== undefined && (lot.expiresAt === null || lot.expiresAt > now);
      const room = live ? Math.min(take.points, lot.amount - lot.remaining) : 0;
      if (lot && room > 0) {
        movements.push({ lotId: lot.id, points: room });
        credited.push({ ...lot, remaining: lot.remaining + room });
      }
      toGrace += take.points - room;
    }
    if (toGrace > 0) addNewLot(toGrace, posting.restoreTo.graceUntil);
  } else if (move.to === 'available' && move.from !== 'held') {
    addNewLot(move.points, posting.lotExpiresAt ?? null);
  }

  const creditedPoints = movements.reduce((sum, m) => sum + m.points, 0);
  const toConsume = creditedPoints - delta;
  if (toConsume < 0) throw new Error(`ledger invariant: ${-toConsume} points without a lot`);
  if (toConsume > 0) {
    const takes = posting.fromLot
      ? planConsumption([posting.fromLot], toConsume)
      : await consume(tx, member, credited, toConsume, firstLots);
    for (const take of takes) movements.push({ lotId: take.lotId, points: -take.points });
  }

  const net = netPerLot(movements);
  const createdId = (newLot as { id: string } | null)?.id;
  return {
    newLot: newLot ? { ...(newLot as { id: string; amount: number; expiresAt: Date | null }), remaining: net.get(createdId!) ?? 0 } : null,
    lotChanges: [...net].filter(([lotId, points]) => lotId !== createdId && points !== 0).map(([lotId, points]) => ({ lotId, points })),
    movements,
  };
}

/** Takes `points` from the lots just credited, then from the member's open lots a page at a time. */
async function consume(
  tx: Executor,
  member: Member,
  credited: OpenLot[],
  points: number,
  firstLots: OpenLot[] | undefined,
): Promise<LotTake[]> {
  const takes: LotTake[] = [];
  let left = points;
  const fromCredited = [...credited].sort(consumptionOrder);
  for (const lot of fromCredited) {
    const take = Math.min(lot.remaining, left);
    if (take > 0) takes.push({ lotId: lot.id, points: take });
    left -= take;
  }
  const skip = new Set(credited.map((l) => l.id));
  let after: OpenLot | null = null;
  let prefetched = firstLots;
  while (left > 0) {
    const page: OpenLot[] = prefetched ?? (await openLotsInOrder(tx, member.shopId, member.id, LOT_PAGE, after));
    // A prefetched page shorter than a full page holds every open lot; a full one may have more behind it.
    const exhausted = prefetched !== undefined && prefetched.length < LOT_PAGE;
    prefetched = undefined;
    if (page.length === 0) break;
    const usable = page.filter((l) => !skip.has(l.id));
    const fromPage = planConsumption(usable, Math.min(left, usable.reduce((s, l) => s + l.remaining, 0)));
    takes.push(...fromPage);
    left -= fromPage.reduce((s, t) => s + t.points, 0);
    after = page[page.length - 1]!;
    if (exhausted) break;
  }
  if (left > 0) throw new Error(`ledger invariant: lots short by ${left} points`);
  return takes;
}

/** The net change per lot: one entry may credit and consume the same lot (a credit that repays debt). */
function netPerLot(movements: { lotId: string; points: number }[]): Map<string, number> {
  const net = new Map<string, number>();
  for (const m of movements) net.set(m.lotId, (net.get(m.lotId) ?? 0) + m.points);
  return net;
}
