import { param, query, sql, type Fragment } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';

/** The lot_movements table: every change to a lot's remainder, with the entry that made it (D13). */

export interface LotMovement {
  entryId: string;
  lotId: string;
  points: number;
}

/** The movements entries made, e.g. the consumptions of a commit, for a later restore (D6). */
export async function movementsOf(tx: Executor, shopId: string, entryIds: string[]): Promise<LotMovement[]> {
  if (entryIds.length === 0) return [];
  return query<LotMovement>(tx, sql`
    SELECT entry_id AS "entryId", lot_id AS "lotId", points FROM lot_movements
     WHERE shop_id = ${shopId} AND entry_id = ANY(${param(entryIds, 'text[]')}) ORDER BY id`);
}

/** A posting's movements, as the CTE `movements`; one movement (the usual case) takes scalar parameters. */
export function insertMovements(shop: unknown, movements: { lotId: string; points: number }[], entryId: unknown): Fragment {
  if (movements.length === 1) {
    const [move] = movements as [{ lotId: string; points: number }];
    return sql`
  movements AS (
    INSERT INTO lot_movements (shop_id, member_id, lot_id, entry_id, points)
    SELECT ${shop}, member.id, ${param(move.lotId, 'text')}, ${entryId}, ${param(move.points, 'bigint')} FROM member
  )`;
  }
  return sql`
  movements AS (
    INSERT INTO lot_movements (shop_id, member_id, lot_id, entry_id, points)
    SELECT ${shop}, member.id, mv.lot_id, ${entryId}, mv.points
      FROM member, unnest(${param(movements.map((c) => c.lotId), 'text[]')}, ${param(movements.map((c) => c.points), 'bigint[]')}) AS mv(lot_id, points)
  )`;
}
