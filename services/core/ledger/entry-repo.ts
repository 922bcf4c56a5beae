import { dateOrNull, param, query, sql, type Fragment } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';
import type { Imported } from '../imports/import-types.ts';
import type { Bucket, Entry, EntryKind, LotTake } from './ledger-types.ts';

/** The ledger_entries table: append-only (D13); entries are only ever inserted, by postings. */

/** A member's entries, newest first, after the `beforeSeq` cursor. */
export async function listEntries(tx: Executor, shopId: string, memberId: string, limit: number, beforeSeq: number | null): Promise<Entry[]> {
  const before = beforeSeq === null ? sql`` : sql`AND seq < ${beforeSeq}`;
  const rows = await query(tx, sql`
    SELECT * FROM ledger_entries WHERE shop_id = ${shopId} AND member_id = ${memberId} ${before}
     ORDER BY seq DESC LIMIT ${limit}`);
  return rows.map(entryFromRow);
}

export async function allEntries(tx: Executor, shopId: string, memberId: string): Promise<Entry[]> {
  const rows = await query(tx, sql`SELECT * FROM ledger_entries WHERE shop_id = ${shopId} AND member_id = ${memberId} ORDER BY seq`);
  return rows.map(entryFromRow);
}

/** Whether the member has an entry of `kind` older than the entry `seq` (D11: a referral waits for the first maturity). */
export async function hasEntryBefore(tx: Executor, shopId: string, memberId: string, kind: EntryKind, seq: number): Promise<boolean> {
  const rows = await query<{ found: boolean }>(tx, sql`
    SELECT EXISTS (SELECT 1 FROM ledger_entries WHERE shop_id = ${shopId} AND member_id = ${memberId} AND seq < ${seq}
                      AND kind = ${param(kind, 'text')}) AS found`);
  return rows[0]?.found ?? false;
}

/** What earlier restores of a redemption gave back, per original lot (kept in their entries' metadata, D6). */
export async function restoredTakes(tx: Executor, shopId: string, redemptionId: string): Promise<LotTake[]> {
  const rows = await query<{ metadata: { takes?: LotTake[] } | null }>(tx, sql`
    SELECT metadata FROM ledger_entries WHERE shop_id = ${shopId} AND redemption_id = ${redemptionId} AND kind = 'restore'`);
  return rows.flatMap((r) => r.metadata?.takes ?? []);
}

/**
 * The shop's import entries with these references (at most one each: ledger_entries_imports), with the customer id
 * of their member (null once erased, D19), for an import to compare its lines with.
 */
export async function importsByReference(tx: Executor, shopId: string, references: string[]): Promise<Imported[]> {
  if (references.length === 0) return [];
  const rows = await query(tx, sql`
    SELECT e.reference, e.points, e.expires_at, CASE WHEN m.erased_at IS NULL THEN m.customer_id END AS customer_id
      FROM ledger_entries e JOIN members m ON m.shop_id = e.shop_id AND m.id = e.member_id
     WHERE e.shop_id = ${shopId} AND e.kind = 'import' AND e.reference = ANY(${param(references, 'text[]')})`);
  return rows.map((r) => ({
    reference: r.reference as string,
    customerId: r.customer_id as string | null,
    points: Number(r.points),
    expiresAt: dateOrNull(r.expires_at),
  }));
}

/** Whether `error` is an import entry refused for its reference: another import of it committed first (23505). */
export function isImportConflict(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (code === '23505' && constraint === IMPORTS_INDEX) return true;
  }
  return false;
}

const IMPORTS_INDEX = 'ledger_entries_imports';

/** The entry of a posting, as the CTE `entry` (returning its seq), inserted only when `member` updated. */
export function insertEntry(shop: unknown, e: Entry, entryId: unknown, at: unknown): Fragment {
  return sql`
  entry AS (
    INSERT INTO ledger_entries (shop_id, id, member_id, kind, from_bucket, to_bucket, points, order_id, refund_id,
      redemption_id, reference, reason, actor, lot_id, expires_at, corrects_entry_id, exchange_rate, metadata, created_at)
    SELECT ${shop}, ${entryId}, member.id, ${param(e.kind, 'text')}, ${param(e.fromBucket, 'text')},
           ${param(e.toBucket, 'text')}, ${param(e.points, 'bigint')}, ${param(e.orderId ?? null, 'text')},
           ${param(e.refundId ?? null, 'text')}, ${param(e.redemptionId ?? null, 'text')},
           ${param(e.reference ?? null, 'text')}, ${param(e.reason ?? null, 'text')}, ${param(e.actor, 'text')},
           ${param(e.lotId, 'text')}, ${param(e.expiresAt, 'timestamptz')}, ${param(e.correctsEntryId ?? null, 'text')},
           ${param(e.exchangeRate ?? null, 'text')}, ${param(e.metadata ? JSON.stringify(e.metadata) : null, 'jsonb')}, ${at}
      FROM member
    RETURNING seq
  )`;
}

/**
 * Many entries at once, one per row of `w` (group commit, orders/order-batch-repo.ts), as the CTE `entry`
 * (RETURNING shop_id, id, seq). Columns of `w`: shop_id, entry_id, member_id, kind, from_bucket, to_bucket, points,
 * order_id, actor, exchange_rate, metadata, at (an award's: no lot, refund, redemption, reference or reason).
 */
export function insertEntries(): Fragment {
  return sql`
  entry AS (
    INSERT INTO ledger_entries (shop_id, id, member_id, kind, from_bucket, to_bucket, points, order_id, actor,
           exchange_rate, metadata, created_at)
    SELECT shop_id, entry_id, member_id, kind, from_bucket, to_bucket, points, order_id, actor, exchange_rate, metadata, at
      FROM w
    RETURNING shop_id, id, seq
  )`;
}

/** An entry row as PostgreSQL returns it: the one mapper. */
export function entryFromRow(r: Record<string, unknown>): Entry {
  return {
    id: r.id as string,
    seq: r.seq as number,
    memberId: r.member_id as string,
    kind: r.kind as EntryKind,
    fromBucket: r.from_bucket as Bucket | null,
    toBucket: r.to_bucket as Bucket | null,
    points: r.points as number,
    actor: r.actor as string,
    lotId: r.lot_id as string | null,
    expiresAt: dateOrNull(r.expires_at),
    createdAt: dateOrNull(r.created_at)!,
    orderId: r.order_id as string | null,
    refundId: r.refund_id as string | null,
    redemptionId: r.redemption_id as string | null,
    reference: r.reference as string | null,
    reason: r.reason as string | null,
    exchangeRate: r.exchange_rate as string | null,
    correctsEntryId: r.corrects_entry_id as string | null,
    metadata: r.metadata as Record<string, unknown> | null,
  };
}
