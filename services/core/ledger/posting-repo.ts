import { join, param, query, sql, type Fragment } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';
import { balanceUpdate, memberByCustomer, memberFromRow, memberInsert } from '../members/member-repo.ts';
import { insertEntry } from './entry-repo.ts';
import type { OpenLot } from './ledger-types.ts';
import type { Member } from '../members/member-types.ts';
import { changeLots, insertLot, lotFromRow, openLotsJson } from './lot-repo.ts';
import { insertMovements } from './lot-movement-repo.ts';
import { redemptionFromRow, redemptionWithMember } from '../redemptions/redemption-repo.ts';
import { entryEvent } from '../outbox/outbox-repo.ts';
import type { Redemption } from '../redemptions/redemption-types.ts';
import type { Attachment, PostingWrite } from './posting-types.ts';

/**
 * The two statements of a posting, composed of the table repositories' parts: the read of a member with the
 * first page of its open lots, and the write of an entry with its lot changes and the member's new balances.
 * This module and orders/order-event-repo.ts are the only ones that join several repositories' parts.
 */

export interface MemberSnapshot {
  member: Member;
  lots: OpenLot[];
}

/**
 * The member and the first `lotPage` of its open lots in one round trip: without a lock, the read half of an
 * optimistic posting (the write is guarded by the member's version); with `lock`, the locked path's read.
 */
export async function memberSnapshot(tx: Executor, shopId: string, customerId: string, lotPage: number, lock = false): Promise<MemberSnapshot | null> {
  const rows = await query(tx, memberSnapshotStatement(shopId, customerId, lotPage, lock));
  return rows[0] ? snapshotFromRow(rows[0], rows[0].lots) : null;
}

export function memberSnapshotStatement(shopId: string, customerId: string, lotPage: number, lock: boolean): Fragment {
  return sql`
    SELECT m.*, ${openLotsJson(lotPage)} AS lots FROM ${memberByCustomer(shopId, customerId)} ${lock ? sql`FOR UPDATE OF m` : sql``}`;
}

/**
 * A redemption with its member and the member's first open lots, in one round trip: without a lock, the read half
 * of an optimistic commit (the write is guarded by the member's version); with `lock`, the locked commit's read.
 */
export async function redemptionSnapshot(
  tx: Executor,
  shopId: string,
  id: string,
  lotPage: number,
  lock = false,
): Promise<(MemberSnapshot & { redemption: Redemption }) | null> {
  const rows = await query(tx, redemptionSnapshotStatement(shopId, id, lotPage, lock));
  const row = rows[0];
  return row ? { redemption: redemptionFromRow(row), ...snapshotFromRow(row.member, row.lots) } : null;
}

export function redemptionSnapshotStatement(shopId: string, id: string, lotPage: number, lock: boolean): Fragment {
  return sql`
    SELECT r.*, row_to_json(m) AS member, ${openLotsJson(lotPage)} AS lots FROM ${redemptionWithMember(shopId, id)}
    ${lock ? sql`FOR UPDATE OF r, m` : sql``}`;
}

/** A member row (as pg or row_to_json returns it) and its lots as json_agg returns them. */
export function snapshotFromRow(member: unknown, lots: unknown): MemberSnapshot {
  return { member: memberFromRow(member as Record<string, unknown>), lots: (lots as Record<string, unknown>[]).map(lotFromRow) };
}

/**
 * Writes an entry with its lot, lot changes, movements, the member's new balances and the entry's outbox row (D16)
 * in one statement (data-
 * modifying CTEs), with only the parts it needs, only if the member row still has the version the posting was
 * planned on: every other part hangs off that guarded update. Returns the entry's seq, or null when the version
 * moved on (a concurrent posting won; plan again). The CHECK constraints still guard every row.
 */
export async function writePosting(tx: Executor, shopId: string, w: PostingWrite, attachment?: Attachment): Promise<number | null> {
  const rows = await query<{ seq: number }>(tx, postingStatement(shopId, w, attachment));
  return rows[0] ? Number(rows[0].seq) : null;
}

/** The statement `writePosting` runs: one shape per set of parts (and one statement name per shape). */
export function postingStatement(shopId: string, w: PostingWrite, attachment?: Attachment): Fragment {
  const shared = { shop: param(shopId), entryId: param(w.entry.id), at: param(w.entry.createdAt, 'timestamptz') };
  const { shop, entryId, at } = shared;
  const { create } = w.member;
  const member = create ? memberInsert(shop, { ...w.member, create }) : balanceUpdate(shop, w.member);
  const parts: Fragment[] = [member, insertEntry(shop, w.entry, entryId, at)];
  if (w.newLot) parts.push(insertLot(shop, w.newLot, entryId, at));
  if (w.lotChanges.length > 0) parts.push(changeLots(shop, w.lotChanges));
  if (w.movements.length > 0) parts.push(insertMovements(shop, w.movements, entryId));
  // D16: the entry's domain event, in the same statement as the change it tells of.
  parts.push(entryEvent(shop, w.entry.kind, entryId, at, create !== undefined));
  const attached = attachment?.(shared);
  parts.push(...(attached?.ctes ?? []));
  const held = attached?.allOrNothing ? sql`, lojal_all_or_nothing(${attached.allOrNothing}) AS held` : sql``;
  return sql`WITH ${join(parts, ',')} SELECT seq${held} FROM entry`;
}
