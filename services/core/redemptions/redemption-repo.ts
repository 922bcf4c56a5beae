import { dateOrNull, param, query, sql, type Fragment } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';
import type { Attachment } from '../ledger/posting-types.ts';
import type { Redemption, RedemptionStatus } from './redemption-types.ts';

/** The redemptions table (D6). A hold's row is inserted, and a commit marks it, in the posting that moves its points. */

export async function findRedemption(tx: Executor, shopId: string, id: string): Promise<Redemption | null> {
  const rows = await query(tx, sql`SELECT * FROM redemptions WHERE shop_id = ${shopId} AND id = ${id}`);
  return rows[0] ? redemptionFromRow(rows[0]) : null;
}

export async function findRedemptions(tx: Executor, shopId: string, ids: string[]): Promise<Redemption[]> {
  if (ids.length === 0) return [];
  const rows = await query(tx, sql`SELECT * FROM redemptions WHERE shop_id = ${shopId} AND id = ANY(${param(ids, 'text[]')})`);
  return rows.map(redemptionFromRow);
}

export async function lockRedemption(tx: Executor, shopId: string, id: string): Promise<Redemption | null> {
  const rows = await query(tx, sql`SELECT * FROM redemptions WHERE shop_id = ${shopId} AND id = ${id} FOR UPDATE`);
  return rows[0] ? redemptionFromRow(rows[0]) : null;
}

/** The cart's holds still held, locked. */
export async function heldForCart(tx: Executor, shopId: string, memberId: string, cartId: string): Promise<Redemption[]> {
  const rows = await query(tx, sql`
    SELECT * FROM redemptions
     WHERE shop_id = ${shopId} AND member_id = ${memberId} AND cart_id = ${cartId} AND status = 'held' FOR UPDATE`);
  return rows.map(redemptionFromRow);
}

export async function insertRedemption(tx: Executor, r: Redemption): Promise<void> {
  await query(tx, sql`
    INSERT INTO redemptions (shop_id, id, member_id, customer_id, cart_id, points, amount, currency, status, order_id,
      expires_at, commit_entry_id, restored_points, created_at, updated_at)
    VALUES (${r.shopId}, ${r.id}, ${r.memberId}, ${r.customerId}, ${r.cartId}, ${r.points}, ${r.amount}, ${r.currency},
      ${r.status}, ${r.orderId}, ${param(r.expiresAt, 'timestamptz')}, ${r.commitEntryId}, ${r.restoredPoints},
      ${param(r.createdAt, 'timestamptz')}, ${param(r.updatedAt, 'timestamptz')})`);
}

/** Writes the status, order, commit entry and restored points a command changed. */
export async function saveRedemption(tx: Executor, r: Redemption): Promise<void> {
  await query(tx, sql`
    UPDATE redemptions SET status = ${r.status}, order_id = ${r.orderId}, commit_entry_id = ${r.commitEntryId},
           restored_points = ${r.restoredPoints}, updated_at = ${param(r.updatedAt, 'timestamptz')}
     WHERE shop_id = ${r.shopId} AND id = ${r.id}`);
}

/** D19: the member's redemptions name the pseudonym instead of the customer id (no index: erasure is rare). */
export async function eraseCustomer(tx: Executor, shopId: string, memberId: string, pseudonym: string): Promise<void> {
  await query(tx, sql`UPDATE redemptions SET customer_id = ${pseudonym} WHERE shop_id = ${shopId} AND member_id = ${memberId}`);
}

/** Holds past their TTL by `asOf`, oldest first, a chunk at a time. */
export async function expiredHolds(tx: Executor, shopId: string | null, asOf: Date, limit: number): Promise<{ shopId: string; id: string }[]> {
  const shop = shopId === null ? sql`` : sql`AND shop_id = ${shopId}`;
  return query(tx, sql`
    SELECT shop_id AS "shopId", id FROM redemptions
     WHERE status = 'held' AND expires_at <= ${param(asOf, 'timestamptz')} ${shop}
     ORDER BY expires_at LIMIT ${limit}`);
}

/** What `release-holds` would do by `asOf` (its dry run): the holds a run takes (`limit`) and their points, in one statement. */
export async function countExpiredHolds(tx: Executor, shopId: string | null, asOf: Date, limit: number): Promise<{ released: number; points: number }> {
  const shop = shopId === null ? sql`` : sql`AND shop_id = ${shopId}`;
  const rows = await query<{ released: number | string; points: number | string }>(tx, sql`
    SELECT count(*) AS released, coalesce(sum(points), 0)::bigint AS points FROM (
      SELECT points FROM redemptions
       WHERE status = 'held' AND expires_at <= ${param(asOf, 'timestamptz')} ${shop}
       ORDER BY expires_at LIMIT ${limit}) due`);
  return { released: Number(rows[0]!.released), points: Number(rows[0]!.points) };
}

/**
 * The redemption as `r` with its member as `m` (for the read half of a commit). The member is named by its key, its
 * id read by a sub-select: joined on `m.id = r.member_id`, the member can also be planned as the first member of the
 * shop (by shop_id) that matches, the plan a new shop's tiny tables favour and a named statement keeps (issue 15).
 */
export function redemptionWithMember(shopId: string, id: string): Fragment {
  const shop = param(shopId);
  const key = param(id);
  return sql`redemptions r, members m
    WHERE r.shop_id = ${shop} AND r.id = ${key}
      AND m.shop_id = ${shop} AND m.id = (SELECT member_id FROM redemptions WHERE shop_id = ${shop} AND id = ${key})`;
}

export interface NewHold {
  id: string;
  customerId: string;
  cartId: string | null;
  points: number;
  amount: number;
  currency: string;
  expiresAt: Date;
}

/** A hold's row, written by the posting that holds its points (CTE `red_insert`, under the member's guard). */
export function heldRows(r: NewHold): Attachment {
  return ({ shop, at }) => ({ ctes: [insertHeld(shop, r, at)] });
}

function insertHeld(shop: unknown, r: NewHold, at: unknown): Fragment {
  return sql`
  red_insert AS (
    INSERT INTO redemptions (shop_id, id, member_id, customer_id, cart_id, points, amount, currency, status, expires_at,
      restored_points, created_at, updated_at)
    SELECT ${shop}, ${param(r.id, 'text')}, member.id, ${param(r.customerId, 'text')}, ${param(r.cartId, 'text')},
           ${param(r.points, 'bigint')}, ${param(r.amount, 'bigint')}, ${param(r.currency, 'text')}, 'held',
           ${param(r.expiresAt, 'timestamptz')}, 0, ${at}, ${at}
      FROM member
  )`;
}

/**
 * A hold committed by the posting that burns its points (CTE `red_commit`). Every change of a redemption's status
 * posts to its member, so the member's version (read with the hold, as held) is what guards this. A status
 * condition here would also let the planner pick the small redemptions_open index over the primary key and walk
 * every open hold of the shop.
 */
export function committedRows(id: string, orderId: string): Attachment {
  return ({ shop, entryId, at }) => ({ ctes: [markCommitted(shop, id, orderId, entryId, at)] });
}

function markCommitted(shop: unknown, id: string, orderId: string, entryId: unknown, at: unknown): Fragment {
  return sql`
  red_commit AS (
    UPDATE redemptions SET status = 'committed', order_id = ${param(orderId, 'text')}, commit_entry_id = ${entryId},
           updated_at = ${at}
     WHERE shop_id = ${shop} AND id = ${param(id, 'text')} AND EXISTS (SELECT 1 FROM member)
  )`;
}

/** A redemption row as PostgreSQL returns it: the one mapper. */
export function redemptionFromRow(r: Record<string, unknown>): Redemption {
  return {
    shopId: r.shop_id as string,
    id: r.id as string,
    memberId: r.member_id as string,
    customerId: r.customer_id as string,
    cartId: r.cart_id as string | null,
    points: r.points as number,
    amount: r.amount as number,
    currency: r.currency as string,
    status: r.status as RedemptionStatus,
    orderId: r.order_id as string | null,
    expiresAt: dateOrNull(r.expires_at)!,
    commitEntryId: r.commit_entry_id as string | null,
    restoredPoints: r.restored_points as number,
    createdAt: dateOrNull(r.created_at)!,
    updatedAt: dateOrNull(r.updated_at)!,
  };
}
