import { execute, param, query, sql, type Fragment } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';

/**
 * D8: the expiry reminders' statements: who has points expiring soon (over lots and members), and the
 * expiry_reminders rows that make each reminder go once. It imports no other repository.
 */

/** One shop's reminder run: its time zone (days are its calendar days), `asOf`, the windows (remindDaysBefore). */
export interface ReminderScope {
  shopId: string;
  asOf: Date;
  timeZone: string;
  windows: number[];
}

/** Points of a member that expire at `expiresAt` (the earliest instant of that calendar day). */
export interface Expiring {
  memberId: string;
  expiresAt: Date;
  points: number;
}

/** A chunk of candidates: `found` members looked at (fewer than asked: the last chunk), the last one's id. */
export interface CandidateChunk {
  found: number;
  last: string | null;
  expiring: Expiring[];
}

/** The start of the shop's calendar day `days` days after the one `asOf` falls on. */
export async function dayStart(executor: Executor, asOf: Date, timeZone: string, days: number): Promise<Date> {
  const zone = param(timeZone, 'text');
  const rows = await query<{ at: Date }>(executor, sql`
    SELECT ((((${param(asOf, 'timestamptz')} AT TIME ZONE ${zone})::date + ${param(days, 'int')})::timestamp) AT TIME ZONE ${zone}) AS at`);
  return rows[0]!.at;
}

/**
 * Dated lots: members (in id order, after `after`) with an open lot expiring after `asOf` and before `until`, and per
 * member and calendar day what would expire: each lot's remainder, at most what the member still has available
 * after its earlier lots (consumption order, as the sweep takes it). Members with nothing available get nothing.
 */
export async function expiringLots(executor: Executor, s: ReminderScope, until: Date, after: string, limit: number): Promise<CandidateChunk> {
  const shop = param(s.shopId, 'text');
  const asOf = param(s.asOf, 'timestamptz');
  const end = param(until, 'timestamptz');
  const rows = await query<{ found: number; last: string | null; member_id: string | null; expires_at: Date | null; points: number | null }>(executor, sql`
    WITH chosen AS MATERIALIZED (
      SELECT DISTINCT l.member_id FROM lots l
       WHERE l.shop_id = ${shop} AND l.remaining > 0 AND l.expires_at > ${asOf} AND l.expires_at < ${end}
         AND l.member_id > ${after}
       ORDER BY l.member_id LIMIT ${limit}
    ),
    open AS (
      SELECT l.member_id, l.expires_at, least(l.remaining, greatest(m.available - coalesce(sum(l.remaining) OVER (
               PARTITION BY l.member_id ORDER BY l.expires_at, l.created_at, l.id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), 0)) AS points
        FROM chosen c
        JOIN members m ON m.shop_id = ${shop} AND m.id = c.member_id AND m.available > 0
        JOIN lots l ON l.shop_id = ${shop} AND l.member_id = c.member_id AND l.remaining > 0 AND l.expires_at < ${end}
    ),
    per_day AS (
      SELECT o.member_id, min(o.expires_at) AS expires_at, sum(o.points)::bigint AS points FROM open o
       WHERE o.expires_at > ${asOf}
       GROUP BY o.member_id, (o.expires_at AT TIME ZONE ${param(s.timeZone, 'text')})::date
      HAVING sum(o.points) > 0
    )
    SELECT (SELECT count(*) FROM chosen)::int AS found, (SELECT max(member_id) FROM chosen) AS last, d.*
      FROM (SELECT 1) one LEFT JOIN per_day d ON true`);
  return {
    found: rows[0]?.found ?? 0,
    last: rows[0]?.last ?? null,
    expiring: rows.flatMap((r) => (r.member_id ? [{ memberId: r.member_id, expiresAt: r.expires_at!, points: Number(r.points) }] : [])),
  };
}

/**
 * Inactivity: members (in id order, after `after`) with points available whose last activity (or joining) is after
 * `from` and at or before `to`: not due now, due before the horizon. Their whole balance is what will expire.
 */
export async function inactiveMembers(
  executor: Executor,
  shopId: string,
  range: { from: Date; to: Date },
  after: string,
  limit: number,
): Promise<{ memberId: string; since: Date; available: number }[]> {
  const rows = await query<{ id: string; since: Date; available: number }>(executor, sql`
    SELECT m.id, coalesce(m.last_activity_at, m.created_at) AS since, m.available FROM members m
     WHERE m.shop_id = ${shopId} AND m.available > 0 AND m.id > ${after}
       AND coalesce(m.last_activity_at, m.created_at) > ${param(range.from, 'timestamptz')}
       AND coalesce(m.last_activity_at, m.created_at) <= ${param(range.to, 'timestamptz')}
     ORDER BY m.id LIMIT ${limit}`);
  return rows.map((r) => ({ memberId: r.id, since: r.since, available: Number(r.available) }));
}

/**
 * Each expiring amount with its calendar day, the whole days left until it (from asOf's day) and the reminder it
 * is due: the smallest window that holds those days (none when it is farther than every window, or today).
 */
function planned(s: ReminderScope, expiring: Expiring[]): Fragment {
  const zone = param(s.timeZone, 'text');
  return sql`
  input AS (
    SELECT * FROM unnest(${param(expiring.map((e) => e.memberId), 'text[]')}, ${param(expiring.map((e) => e.expiresAt), 'timestamptz[]')},
                         ${param(expiring.map((e) => e.points), 'bigint[]')}) AS x(member_id, expires_at, points)
  ),
  dated AS (
    SELECT x.*, (x.expires_at AT TIME ZONE ${zone})::date AS expires_on,
           (x.expires_at AT TIME ZONE ${zone})::date - (${param(s.asOf, 'timestamptz')} AT TIME ZONE ${zone})::date AS days_left
      FROM input x WHERE x.points > 0
  ),
  planned AS (
    SELECT d.*, (SELECT min(w) FROM unnest(${param(s.windows, 'int[]')}) w WHERE w >= d.days_left) AS days
      FROM dated d WHERE d.days_left >= 1
  )`;
}

/** A reminder this run raised: who, which day and window, how many points, how many days are left. */
export interface Reminder {
  memberId: string;
  expiresOn: string;
  days: number;
  daysLeft: number;
  expiresAt: Date;
  points: number;
}

/**
 * Records the reminders due (ON CONFLICT DO NOTHING: one per member, day and window, ever) and returns those this
 * call inserted, in member and day order (two runs at once lock in the same order).
 */
export async function insertReminders(tx: Executor, s: ReminderScope, expiring: Expiring[], at: Date): Promise<Reminder[]> {
  if (expiring.length === 0) return [];
  const rows = await query<{ member_id: string; expires_on: string; days: number; days_left: number; expires_at: Date; points: number }>(tx, sql`
    WITH ${planned(s, expiring)},
    inserted AS (
      INSERT INTO expiry_reminders (shop_id, member_id, expires_on, days, created_at)
      SELECT ${s.shopId}, p.member_id, p.expires_on, p.days, ${param(at, 'timestamptz')} FROM planned p
       WHERE p.days IS NOT NULL ORDER BY p.member_id, p.expires_on
      ON CONFLICT DO NOTHING
      RETURNING member_id, expires_on, days
    )
    SELECT i.member_id, i.expires_on::text AS expires_on, i.days, p.days_left, p.expires_at, p.points
      FROM inserted i JOIN planned p ON p.member_id = i.member_id AND p.expires_on = i.expires_on
     ORDER BY i.member_id, i.expires_on`);
  return rows.map((r) => ({
    memberId: r.member_id,
    expiresOn: r.expires_on,
    days: r.days,
    daysLeft: r.days_left,
    expiresAt: r.expires_at,
    points: Number(r.points),
  }));
}

/** D18 dry run: the reminders `insertReminders` would insert now, and their points. */
export async function countNewReminders(executor: Executor, s: ReminderScope, expiring: Expiring[]): Promise<{ reminded: number; points: number }> {
  if (expiring.length === 0) return { reminded: 0, points: 0 };
  const rows = await query<{ reminded: number; points: number }>(executor, sql`
    WITH ${planned(s, expiring)}
    SELECT count(*)::int AS reminded, coalesce(sum(p.points), 0)::bigint AS points FROM planned p
     WHERE p.days IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM expiry_reminders r
        WHERE r.shop_id = ${s.shopId} AND r.member_id = p.member_id AND r.expires_on = p.expires_on AND r.days = p.days)`);
  return { reminded: rows[0]!.reminded, points: Number(rows[0]!.points) };
}

/**
 * Retention: deletes up to `limit` reminders of expiry days before `beforeDay` (YYYY-MM-DD); returns how many went.
 * A reminder is only ever raised for a day still ahead, so one for a day gone can never be raised again.
 */
export async function purgePast(executor: Executor, beforeDay: string, limit: number): Promise<number> {
  return execute(executor, sql`
    DELETE FROM expiry_reminders WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM expiry_reminders WHERE expires_on < ${param(beforeDay, 'date')} LIMIT ${param(limit, 'int')}))`);
}
