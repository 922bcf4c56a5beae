import { dateOrNull, param, query, sql, type Fragment } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';
import type { Attachment } from '../ledger/posting-types.ts';
import type { BirthdayDay, Bonus, BonusAward, BonusKind } from './bonus-types.ts';

/**
 * The bonuses table (D11): one row per bonus given, keyed by (shop, member, kind, reference). The row is written in
 * the statement of the posting that credits the bonus, so the two exist together or not at all. The birthday
 * statements read the members they choose by, as the feedback requests read orders.
 */

export async function findBonus(executor: Executor, shopId: string, memberId: string, kind: BonusKind, reference: string): Promise<Bonus | null> {
  const rows = await query(executor, sql`
    SELECT * FROM bonuses WHERE shop_id = ${shopId} AND member_id = ${memberId} AND kind = ${kind} AND reference = ${reference}`);
  return rows[0] ? bonusFromRow(rows[0]) : null;
}

/**
 * The bonus row as part of its posting's statement (after `member` and `entry`): written only with the entry, and
 * only if no row has the same key; when one has, the whole statement fails with LJ001 and writes nothing. (The
 * caller looked for the row under the member's lock first, so this is the last guard, not the usual path.)
 */
export function bonusRow(award: BonusAward): Attachment {
  return ({ shop, entryId, at }) => ({
    ctes: [sql`
  bonus_row AS (
    INSERT INTO bonuses (shop_id, member_id, kind, reference, points, entry_id, actor, created_at)
    SELECT ${shop}, member.id, ${param(award.kind, 'text')}, ${param(award.reference, 'text')}, ${param(award.points, 'bigint')},
           ${entryId}, ${param(award.actor, 'text')}, ${at}
      FROM member
    ON CONFLICT DO NOTHING
    RETURNING 1
  )`],
    allOrNothing: sql`EXISTS (SELECT 1 FROM bonus_row)`,
  });
}

/** The shops whose stored program gives a birthday bonus (a number above 0; absent is the default, 0). */
export async function shopsGivingBirthdayBonus(executor: Executor): Promise<string[]> {
  const rows = await query<{ shop_id: string }>(executor, sql`
    SELECT shop_id FROM programs
     WHERE jsonb_typeof(settings -> 'bonuses' -> 'birthday') = 'number' AND (settings -> 'bonuses' ->> 'birthday')::numeric > 0
     ORDER BY shop_id`);
  return rows.map((r) => r.shop_id);
}

/**
 * Members of the shop whose birthday is `day`, not erased, without this year's birthday bonus yet, in id order after
 * `after`. The day's members are read first, apart (MATERIALIZED), through the members_birthday index: with the
 * id order and LIMIT in the same query, a planner without statistics may walk the shop's members by id instead.
 */
function celebrating(shopId: string, day: BirthdayDay, after: string | null): Fragment {
  const shop = param(shopId, 'text');
  return sql`
    WITH born AS MATERIALIZED (
      SELECT m.id FROM members m
       WHERE m.shop_id = ${shop} AND m.birthday IS NOT NULL
         AND extract(month from m.birthday) = ${param(day.month, 'numeric')}
         AND extract(day from m.birthday) = ANY(${param(day.days, 'numeric[]')})
         AND m.erased_at IS NULL
    )
    SELECT born.id FROM born
     WHERE NOT EXISTS (SELECT 1 FROM bonuses b WHERE b.shop_id = ${shop} AND b.member_id = born.id AND b.kind = 'birthday'
                          AND b.reference = ${param(String(day.year), 'text')})
       ${after === null ? sql`` : sql`AND born.id > ${param(after, 'text')}`}`;
}

/** Up to `limit` ids of members due a birthday bonus on `day`, after `after` in id order. */
export async function membersCelebrating(executor: Executor, shopId: string, day: BirthdayDay, after: string, limit: number): Promise<string[]> {
  const rows = await query<{ id: string }>(executor, sql`${celebrating(shopId, day, after)} ORDER BY born.id LIMIT ${limit}`);
  return rows.map((r) => r.id);
}

/** How many members a run on `day` would give the bonus (its dry run), at most `limit`. */
export async function countCelebrating(executor: Executor, shopId: string, day: BirthdayDay, limit: number): Promise<number> {
  const rows = await query<{ n: number }>(executor, sql`SELECT count(*)::int AS n FROM (${celebrating(shopId, day, null)} LIMIT ${limit}) d`);
  return rows[0]?.n ?? 0;
}

function bonusFromRow(r: Record<string, unknown>): Bonus {
  return {
    memberId: r.member_id as string,
    kind: r.kind as BonusKind,
    reference: r.reference as string,
    points: Number(r.points),
    entryId: r.entry_id as string,
    actor: r.actor as string,
    createdAt: dateOrNull(r.created_at)!,
  };
}
