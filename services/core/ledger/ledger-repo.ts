import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { ledgerEntries, lotMovements, lots } from '../../db/schema/index.ts';
import type { Executor } from '../../db/tx.ts';
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

export async function insertEntry(tx: Executor, shopId: string, entry: Entry): Promise<Entry> {
  const { seq: _seq, ...values } = entry;
  const rows = await tx.insert(ledgerEntries).values({ shopId, ...values }).returning();
  return toEntry(rows[0]!);
}

export async function openLots(tx: Executor, shopId: string, memberId: string): Promise<OpenLot[]> {
  return tx
    .select({ id: lots.id, remaining: lots.remaining, amount: lots.amount, expiresAt: lots.expiresAt, createdAt: lots.createdAt })
    .from(lots)
    .where(and(eq(lots.shopId, shopId), eq(lots.memberId, memberId), gt(lots.remaining, 0)));
}

export async function findLots(tx: Executor, shopId: string, lotIds: string[]): Promise<OpenLot[]> {
  if (lotIds.length === 0) return [];
  return tx
    .select({ id: lots.id, remaining: lots.remaining, amount: lots.amount, expiresAt: lots.expiresAt, createdAt: lots.createdAt })
    .from(lots)
    .where(and(eq(lots.shopId, shopId), inArray(lots.id, lotIds)));
}

export async function insertLot(
  tx: Executor,
  lot: { shopId: string; id: string; memberId: string; entryId: string; amount: number; remaining: number; expiresAt: Date | null; createdAt: Date },
): Promise<void> {
  await tx.insert(lots).values(lot);
}

/** Applies signed changes to lots' remainders in one statement; the CHECK keeps each within 0..amount. */
export async function changeRemainders(tx: Executor, shopId: string, changes: { lotId: string; points: number }[]): Promise<void> {
  if (changes.length === 0) return;
  const ids = changes.map((c) => c.lotId);
  const deltas = changes.map((c) => c.points);
  await tx.execute(sql`
    UPDATE lots SET remaining = lots.remaining + d.delta
      FROM unnest(${sql.param(ids)}::text[], ${sql.param(deltas)}::int[]) AS d(lot_id, delta)
     WHERE lots.shop_id = ${shopId} AND lots.id = d.lot_id`);
}

export async function insertMovements(
  tx: Executor,
  shopId: string,
  memberId: string,
  entryId: string,
  changes: { lotId: string; points: number }[],
): Promise<void> {
  if (changes.length === 0) return;
  await tx.insert(lotMovements).values(changes.map((c) => ({ shopId, memberId, entryId, lotId: c.lotId, points: c.points })));
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
