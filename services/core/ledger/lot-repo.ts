import { dateOrNull, join, param, query, raw, sql, type Fragment } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';
import type { OpenLot } from './ledger-types.ts';

/** The lots table: each credit to `available` is a lot, consumed soonest-expiring first (D6, D8, D13). */

/** A lot as an export shows it: an open lot and the entry that created it. */
export interface Lot extends OpenLot {
  entryId: string;
}

/**
 * The columns consumption reads (snapshots, lot pages): only what the planner needs. These reads run on every
 * posting, and every other column is bytes PostgreSQL aggregates and Node parses for nothing (a few % of a posting).
 */
const OPEN_LOT = sql`id, remaining, amount, expires_at, created_at`;

/** Consumption order: soonest-expiring first, no expiry last, then age and id (the order of lots_member_open). */
const CONSUMPTION_ORDER = sql`coalesce(expires_at, 'infinity'), created_at, id`;

/** A member's open lots in consumption order, a page at a time after `after`. */
export async function openLotsInOrder(tx: Executor, shopId: string, memberId: string, limit: number, after: OpenLot | null): Promise<OpenLot[]> {
  const keyset = after
    ? sql`AND (coalesce(expires_at, 'infinity'), created_at, id) > (coalesce(${param(after.expiresAt, 'timestamptz')}, 'infinity'), ${param(after.createdAt, 'timestamptz')}, ${after.id})`
    : sql``;
  const rows = await query(tx, sql`
    SELECT ${OPEN_LOT} FROM lots WHERE shop_id = ${shopId} AND member_id = ${memberId} AND remaining > 0 ${keyset}
     ORDER BY ${CONSUMPTION_ORDER} LIMIT ${limit}`);
  return rows.map(lotFromRow);
}

/** The first `limit` open lots of the member `m` of the enclosing query, in consumption order, as a JSON array. */
export function openLotsJson(limit: unknown): Fragment {
  return sql`coalesce((
    SELECT json_agg(l ORDER BY coalesce(l.expires_at, 'infinity'), l.created_at, l.id) FROM (
      SELECT ${OPEN_LOT} FROM lots
       WHERE lots.shop_id = m.shop_id AND lots.member_id = m.id AND remaining > 0
       ORDER BY ${CONSUMPTION_ORDER} LIMIT ${limit}) l), '[]')`;
}

export async function findLots(tx: Executor, shopId: string, lotIds: string[]): Promise<OpenLot[]> {
  if (lotIds.length === 0) return [];
  const rows = await query(tx, sql`SELECT ${OPEN_LOT} FROM lots WHERE shop_id = ${shopId} AND id = ANY(${param(lotIds, 'text[]')})`);
  return rows.map(lotFromRow);
}

export async function memberLots(tx: Executor, shopId: string, memberId: string): Promise<Lot[]> {
  const rows = await query(tx, sql`SELECT * FROM lots WHERE shop_id = ${shopId} AND member_id = ${memberId} ORDER BY created_at, id`);
  return rows.map(lotFromRow);
}

/** Points expiring from the member's open lots, summed per instant, soonest first. */
export async function expiringPoints(tx: Executor, shopId: string, memberId: string, limit: number): Promise<{ at: Date; points: number }[]> {
  const rows = await query<{ at: Date; points: number }>(tx, sql`
    SELECT expires_at AS at, sum(remaining)::bigint AS points FROM lots
     WHERE shop_id = ${shopId} AND member_id = ${memberId} AND remaining > 0 AND expires_at IS NOT NULL
     GROUP BY expires_at ORDER BY expires_at LIMIT ${limit}`);
  return rows;
}

/** The lot a posting creates, as the CTE `new_lot`, inserted with its final remainder. */
export function insertLot(shop: unknown, lot: { id: string; amount: number; remaining: number; expiresAt: Date | null }, entryId: unknown, at: unknown): Fragment {
  return sql`
  new_lot AS (
    INSERT INTO lots (shop_id, id, member_id, entry_id, amount, remaining, expires_at, created_at)
    SELECT ${shop}, ${param(lot.id, 'text')}, member.id, ${entryId}, ${param(lot.amount, 'bigint')},
           ${param(lot.remaining, 'bigint')}, ${param(lot.expiresAt, 'timestamptz')}, ${at}
      FROM member
  )`;
}

/**
 * A posting's net changes to existing lots: one CTE per lot (`lot_change_1`, …), each an update of one lot by its
 * key with scalar parameters. One update of several lots (`lots.id = ANY($n)`) also has the plan that reads the
 * shop's lots by shop_id and filters them: the cheaper one on a new shop's tiny tables, and a named statement keeps
 * the generic plan it makes there (issue 15, docs/operations.md). So there is a statement shape per number of lots
 * changed. The guard is a one-time condition.
 */
export function changeLots(shop: unknown, changes: { lotId: string; points: number }[]): Fragment {
  return join(changes.map((change, i) => sql`
  ${raw(`lot_change_${i + 1}`)} AS (
    UPDATE lots SET remaining = lots.remaining + ${param(change.points, 'bigint')}
     WHERE lots.shop_id = ${shop} AND lots.id = ${param(change.lotId, 'text')} AND EXISTS (SELECT 1 FROM member)
  )`), ',');
}

/**
 * A lot row as PostgreSQL returns it (dates as Date, or text from json_agg): the one mapper. Reads of the open-lot
 * columns return it as an OpenLot (their rows have no entry_id).
 */
export function lotFromRow(r: Record<string, unknown>): Lot {
  return {
    id: r.id as string,
    entryId: r.entry_id as string,
    amount: r.amount as number,
    remaining: r.remaining as number,
    expiresAt: dateOrNull(r.expires_at),
    createdAt: dateOrNull(r.created_at)!,
  };
}
