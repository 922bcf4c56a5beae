import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { ledgerEntries, lotMovements, lots } from '../../db/schema/index.ts';
import type { Executor } from '../../db/tx.ts';
import { namedQuery, Params } from '../../db/raw.ts';
import { memberFromRow } from '../members/member-repo.ts';
import type { Member } from '../members/member-types.ts';
import type { Bucket, Entry, EntryKind, OpenLot } from './ledger-types.ts';

type EntryRow = typeof ledgerEntries.$inferSelect;

export function toEntry(row: EntryRow): Entry {
  return {
    id: row.id,
    seq: row.seq,
    memberId: row.memberId,
    kind: row.kind as EntryKind,
    fromBucket: row.fromBucket as Bucket | null,
    toBucket: row.toBucket as Bucket | null,
    points: row.points,
    actor: row.actor,
    lotId: row.lotId,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    orderId: row.orderId,
    refundId: row.refundId,
    redemptionId: row.redemptionId,
    reference: row.reference,
    reason: row.reason,
    exchangeRate: row.exchangeRate,
    correctsEntryId: row.correctsEntryId,
    metadata: row.metadata as Record<string, unknown> | null,
  };
}

/** D6: the redemption row a hold creates, or the hold a commit burns, written with the posting. */
export type RedemptionChange =
  | { kind: 'insert'; id: string; customerId: string; cartId: string | null; points: number; amount: number; currency: string; expiresAt: Date }
  | { kind: 'commit'; id: string; orderId: string };

export interface PostingWrite {
  entry: Entry;
  /** A lot the entry creates, inserted with its final remainder (its creation and any debt repaid from it). */
  newLot: { id: string; amount: number; remaining: number; expiresAt: Date | null } | null;
  /** Net changes to existing lots' remainders. */
  lotChanges: { lotId: string; points: number }[];
  /** Every movement the entry makes, the new lot's creation included. */
  movements: { lotId: string; points: number }[];
  member: {
    id: string;
    /** The version the posting was planned on; the write applies only if the row still has it. */
    version: number;
    pending: number;
    available: number;
    held: number;
    earned: number;
    redeemed: number;
    expired: number;
    lastActivityAt: Date | null;
  };
  redemption?: RedemptionChange | null;
}

/**
 * Writes an entry with its lot, lot changes, movements and the member's new balances in one statement (one round
 * trip: data-modifying CTEs), only if the member row still has the version the posting was planned on; every
 * other part hangs off that guarded update. Returns the entry's seq, or null when the version moved on (a
 * concurrent posting won; plan again). The CHECK constraints still guard every row.
 */
export async function writePosting(tx: Executor, shopId: string, w: PostingWrite): Promise<number | null> {
  const params = new Params();
  const ctes = postingCtes(params, shopId, w);
  const rows = await namedQuery<{ seq: string | number }>(tx, `lojal_posting${ctes.variant}`, `WITH ${ctes.text} SELECT seq FROM entry`, params.values);
  const row = rows[0];
  return row ? Number(row.seq) : null;
}

/**
 * The common table expressions of a posting, with only the parts it needs: `member` is the guarded update, and
 * every other part hangs off it, so a posting whose member moved on writes nothing. `variant` names the parts
 * (one named statement each), `shop` the shop's placeholder. A statement that writes more under the same guard
 * adds parts after these, reading `member` and `entry`, with the same `params`.
 */
export function postingCtes(params: Params, shopId: string, w: PostingWrite): { text: string; variant: string; shop: string } {
  const { entry: e, newLot: lot, member: m } = w;
  const shop = params.add(shopId);
  const entryId = params.add(e.id);
  const at = params.add(e.createdAt, 'timestamptz');
  const parts = [`
  member AS (
    UPDATE members SET pending = ${params.add(m.pending)}, available = ${params.add(m.available)}, held = ${params.add(m.held)},
           lifetime_earned = ${params.add(m.earned)}, lifetime_redeemed = ${params.add(m.redeemed)},
           lifetime_expired = ${params.add(m.expired)}, last_activity_at = ${params.add(m.lastActivityAt, 'timestamptz')},
           version = version + 1
     WHERE shop_id = ${shop} AND id = ${params.add(m.id)} AND version = ${params.add(m.version)}
    RETURNING id
  )`, `
  entry AS (
    INSERT INTO ledger_entries (shop_id, id, member_id, kind, from_bucket, to_bucket, points, order_id, refund_id,
      redemption_id, reference, reason, actor, lot_id, expires_at, corrects_entry_id, exchange_rate, metadata, created_at)
    SELECT ${shop}, ${entryId}, member.id, ${params.add(e.kind, 'text')}, ${params.add(e.fromBucket, 'text')},
           ${params.add(e.toBucket, 'text')}, ${params.add(e.points, 'int')}, ${params.add(e.orderId ?? null, 'text')},
           ${params.add(e.refundId ?? null, 'text')}, ${params.add(e.redemptionId ?? null, 'text')},
           ${params.add(e.reference ?? null, 'text')}, ${params.add(e.reason ?? null, 'text')}, ${params.add(e.actor, 'text')},
           ${params.add(e.lotId, 'text')}, ${params.add(e.expiresAt, 'timestamptz')}, ${params.add(e.correctsEntryId ?? null, 'text')},
           ${params.add(e.exchangeRate ?? null, 'text')}, ${params.add(e.metadata ? JSON.stringify(e.metadata) : null, 'jsonb')}, ${at}
      FROM member
    RETURNING seq
  )`];
  let variant = '';
  if (lot) {
    variant += '_lot';
    parts.push(`
  new_lot AS (
    INSERT INTO lots (shop_id, id, member_id, entry_id, amount, remaining, expires_at, created_at)
    SELECT ${shop}, ${params.add(lot.id, 'text')}, member.id, ${entryId}, ${params.add(lot.amount, 'int')},
           ${params.add(lot.remaining, 'int')}, ${params.add(lot.expiresAt, 'timestamptz')}, ${at}
      FROM member
  )`);
  }
  // One lot changed and one movement are the usual case (a burn from one lot, a credit's new lot): they get scalar
  // parameters. With arrays, a plan made without their values guesses many rows, so PostgreSQL would plan such
  // statements anew on every execution instead of reusing their plan.
  if (w.lotChanges.length === 1) {
    variant += '_change';
    const [change] = w.lotChanges as [{ lotId: string; points: number }];
    parts.push(`
  lot_changes AS (
    UPDATE lots SET remaining = lots.remaining + ${params.add(change.points, 'int')}
     WHERE lots.shop_id = ${shop} AND lots.id = ${params.add(change.lotId, 'text')} AND EXISTS (SELECT 1 FROM member)
  )`);
  } else if (w.lotChanges.length > 1) {
    variant += '_changes';
    const ids = params.add(w.lotChanges.map((c) => c.lotId), 'text[]');
    parts.push(`
  lot_changes AS (
    -- Primary-key lookups for exactly the lots named (= ANY); a join against the member's lots instead lets the
    -- planner scan every lot the member ever had, on every posting. The guard is a one-time condition.
    UPDATE lots SET remaining = lots.remaining
           + (SELECT d.delta FROM unnest(${ids}, ${params.add(w.lotChanges.map((c) => c.points), 'int[]')}) AS d(lot_id, delta)
               WHERE d.lot_id = lots.id)
     WHERE lots.shop_id = ${shop} AND lots.id = ANY(${ids}) AND EXISTS (SELECT 1 FROM member)
  )`);
  }
  if (w.movements.length === 1) {
    variant += '_move';
    const [move] = w.movements as [{ lotId: string; points: number }];
    parts.push(`
  movements AS (
    INSERT INTO lot_movements (shop_id, member_id, lot_id, entry_id, points)
    SELECT ${shop}, member.id, ${params.add(move.lotId, 'text')}, ${entryId}, ${params.add(move.points, 'int')} FROM member
  )`);
  } else if (w.movements.length > 1) {
    variant += '_moves';
    parts.push(`
  movements AS (
    INSERT INTO lot_movements (shop_id, member_id, lot_id, entry_id, points)
    SELECT ${shop}, member.id, mv.lot_id, ${entryId}, mv.points
      FROM member, unnest(${params.add(w.movements.map((c) => c.lotId), 'text[]')}, ${params.add(w.movements.map((c) => c.points), 'int[]')}) AS mv(lot_id, points)
  )`);
  }
  const r = w.redemption ?? null;
  if (r?.kind === 'insert') {
    variant += '_hold';
    parts.push(`
  red_insert AS (
    INSERT INTO redemptions (shop_id, id, member_id, customer_id, cart_id, points, amount, currency, status, expires_at,
      restored_points, created_at, updated_at)
    SELECT ${shop}, ${params.add(r.id, 'text')}, member.id, ${params.add(r.customerId, 'text')}, ${params.add(r.cartId, 'text')},
           ${params.add(r.points, 'int')}, ${params.add(r.amount, 'int')}, ${params.add(r.currency, 'text')}, 'held',
           ${params.add(r.expiresAt, 'timestamptz')}, 0, ${at}, ${at}
      FROM member
  )`);
  }
  if (r?.kind === 'commit') {
    variant += '_commit';
    parts.push(`
  red_commit AS (
    -- Every change of a redemption's status posts to its member, so the member's version (read with the hold, as
    -- held) is what guards this. A status condition here would also let the planner pick the small redemptions_open
    -- index over the primary key and walk every open hold of the shop.
    UPDATE redemptions SET status = 'committed', order_id = ${params.add(r.orderId, 'text')}, commit_entry_id = ${entryId},
           updated_at = ${at}
     WHERE shop_id = ${shop} AND id = ${params.add(r.id, 'text')} AND EXISTS (SELECT 1 FROM member)
  )`);
  }
  return { text: parts.join(','), variant, shop };
}

/**
 * A member's open lots in consumption order (soonest-expiring first, no expiry last, then age and id: the
 * order of the lots_member_open index), a page at a time after `after`.
 */
export async function openLotsInOrder(
  tx: Executor,
  shopId: string,
  memberId: string,
  limit: number,
  after: OpenLot | null,
): Promise<OpenLot[]> {
  const keyset = after
    ? sql`AND (coalesce(expires_at, 'infinity'), created_at, id) > (coalesce(${after.expiresAt}::timestamptz, 'infinity'), ${after.createdAt}, ${after.id})`
    : sql``;
  // Raw queries through drizzle return timestamps as text: they are turned into dates here.
  const rows = await tx.execute<{ id: string; remaining: number; amount: number; expires_at: string | null; created_at: string }>(sql`
    SELECT id, remaining, amount, expires_at, created_at FROM lots
     WHERE shop_id = ${shopId} AND member_id = ${memberId} AND remaining > 0 ${keyset}
     ORDER BY coalesce(expires_at, 'infinity'), created_at, id
     LIMIT ${limit}`);
  return rows.rows.map((r) => ({
    id: r.id,
    remaining: r.remaining,
    amount: r.amount,
    expiresAt: r.expires_at === null ? null : new Date(r.expires_at),
    createdAt: new Date(r.created_at),
  }));
}

/**
 * The member and the first page of its open lots in one round trip, without a lock: the read half of an
 * optimistic posting (the write is guarded by the member's version).
 */
export async function memberSnapshot(
  tx: Executor,
  shopId: string,
  customerId: string,
  lotPage: number,
  lock = false,
): Promise<{ member: Member; lots: OpenLot[] } | null> {
  const [name, text] = lock ? ['lojal_member_snapshot_lock', `${MEMBER_SNAPSHOT_SQL} FOR UPDATE OF m`] : ['lojal_member_snapshot', MEMBER_SNAPSHOT_SQL];
  const rows = await namedQuery<Record<string, unknown> & { lots: LotJson[] }>(tx, name, text, [
    shopId,
    customerId,
    lotPage,
  ]);
  const row = rows[0];
  return row ? memberSnapshotFromRow(row, row.lots) : null;
}

export type LotJson = { id: string; remaining: number; amount: number; expires_at: string | null; created_at: string };

/** A member row (as pg or row_to_json returns it) and its lots as json_agg returns them. */
export function memberSnapshotFromRow(row: Record<string, unknown>, lots: LotJson[]): { member: Member; lots: OpenLot[] } {
  return {
    member: memberFromRow(row),
    lots: lots.map((l) => ({
      id: l.id,
      remaining: l.remaining,
      amount: l.amount,
      expiresAt: l.expires_at === null ? null : new Date(l.expires_at),
      createdAt: new Date(l.created_at),
    })),
  };
}

/** The first `$3` open lots of member `m`, in consumption order, as JSON (for snapshots that join `members m`). */
export const OPEN_LOTS_JSON = `coalesce((
    SELECT json_agg(l ORDER BY coalesce(l.expires_at, 'infinity'), l.created_at, l.id) FROM (
      SELECT id, remaining, amount, expires_at, created_at FROM lots
       WHERE lots.shop_id = m.shop_id AND lots.member_id = m.id AND remaining > 0
       ORDER BY coalesce(expires_at, 'infinity'), created_at, id LIMIT $3) l), '[]')`;

const MEMBER_SNAPSHOT_SQL = `
  SELECT m.*, ${OPEN_LOTS_JSON} AS lots
    FROM members m
   WHERE m.shop_id = $1 AND m.customer_id = $2 AND m.erased_at IS NULL`;

export async function findLots(tx: Executor, shopId: string, lotIds: string[]): Promise<OpenLot[]> {
  if (lotIds.length === 0) return [];
  return tx
    .select({ id: lots.id, remaining: lots.remaining, amount: lots.amount, expiresAt: lots.expiresAt, createdAt: lots.createdAt })
    .from(lots)
    .where(and(eq(lots.shopId, shopId), inArray(lots.id, lotIds)));
}

/** Lot movements that an entry made, e.g. the consumptions of a commit, for a later restore (D6). */
export async function movementsOf(tx: Executor, shopId: string, entryIds: string[]): Promise<{ entryId: string; lotId: string; points: number }[]> {
  if (entryIds.length === 0) return [];
  return tx
    .select({ entryId: lotMovements.entryId, lotId: lotMovements.lotId, points: lotMovements.points })
    .from(lotMovements)
    .where(and(eq(lotMovements.shopId, shopId), inArray(lotMovements.entryId, entryIds)))
    .orderBy(asc(lotMovements.id));
}

/** A member's entries, newest first, after the `beforeSeq` cursor. */
export async function listEntries(
  tx: Executor,
  shopId: string,
  memberId: string,
  limit: number,
  beforeSeq: number | null,
): Promise<Entry[]> {
  const rows = await tx
    .select()
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.shopId, shopId),
        eq(ledgerEntries.memberId, memberId),
        beforeSeq === null ? undefined : lt(ledgerEntries.seq, beforeSeq),
      ),
    )
    .orderBy(desc(ledgerEntries.seq))
    .limit(limit);
  return rows.map(toEntry);
}

export async function allEntries(tx: Executor, shopId: string, memberId: string): Promise<Entry[]> {
  const rows = await tx
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.shopId, shopId), eq(ledgerEntries.memberId, memberId)))
    .orderBy(asc(ledgerEntries.seq));
  return rows.map(toEntry);
}

export async function memberLots(tx: Executor, shopId: string, memberId: string) {
  return tx
    .select()
    .from(lots)
    .where(and(eq(lots.shopId, shopId), eq(lots.memberId, memberId)))
    .orderBy(asc(lots.createdAt), asc(lots.id));
}

/** Points expiring from the member's open lots, summed per instant, soonest first. */
export async function expiringPoints(tx: Executor, shopId: string, memberId: string, limit: number) {
  const rows = await tx
    .select({ at: lots.expiresAt, points: sql<number>`sum(${lots.remaining})::int` })
    .from(lots)
    .where(and(eq(lots.shopId, shopId), eq(lots.memberId, memberId), gt(lots.remaining, 0), sql`${lots.expiresAt} IS NOT NULL`))
    .groupBy(lots.expiresAt)
    .orderBy(asc(lots.expiresAt))
    .limit(limit);
  return rows.map((r) => ({ at: r.at as Date, points: r.points }));
}
