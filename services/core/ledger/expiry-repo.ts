import { empty, execute, param, query, sql, type Fragment } from '../../db/sql.ts';
import type { Executor, Tx } from '../../db/tx.ts';

/**
 * D8: the expiry sweep's statements, set-based: find a chunk of due lots, lock their members, expire the chunk in
 * one statement (entries, movements, lots, members). SQL over lots, members and ledger entries in one place, the
 * way the posting composer writes one posting; it imports no other repository.
 */

/** What one shop's sweep looks for: lots dated by `asOf`, and with `inactiveSince` every lot of a member idle since. */
export interface DueCriteria {
  shopId: string;
  asOf: Date;
  /** D8 inactivity: members whose last earn or burn is at or before this instant; null when the policy is another. */
  inactiveSince: Date | null;
  /**
   * One of `count` lanes that sweep a shop at once (default: the only one): each takes the members whose id hashes
   * to its `index`, so lanes never wait on each other's locks.
   */
  lane?: { index: number; count: number };
}

/** The lane's share of members (everything with one lane). */
function inLane(c: DueCriteria, memberId: Fragment): Fragment {
  const { index, count } = c.lane ?? { index: 0, count: 1 };
  if (count === 1) return empty;
  return sql`AND (hashtext(${memberId})::bigint & 2147483647) % ${param(count, 'int')} = ${param(index, 'int')}`;
}

/**
 * A lot is due when its date has come or its member has been inactive since `inactiveSince`. Only members with
 * points available (> 0) count: a member in debt or with everything on hold expires nothing (D8), so such lots are
 * not due, and a sweep never comes back to them for nothing. Gives `id` and `member_id` of up to `limit` due lots,
 * in no particular order (each part stops at its limit; the dated part walks lots_expiring).
 */
function dueLots(c: DueCriteria, limit: unknown): Fragment {
  const shop = param(c.shopId, 'text');
  const since = param(c.inactiveSince, 'timestamptz');
  return sql`
    (SELECT l.id, l.member_id FROM lots l
      WHERE l.shop_id = ${shop} AND l.remaining > 0 AND l.expires_at IS NOT NULL AND l.expires_at <= ${param(c.asOf, 'timestamptz')}
        AND EXISTS (SELECT 1 FROM members m WHERE m.shop_id = l.shop_id AND m.id = l.member_id AND m.available > 0)
        ${inLane(c, sql`l.member_id`)}
      ORDER BY l.shop_id, l.expires_at LIMIT ${limit})
    UNION ALL
    (SELECT l.id, l.member_id FROM members m JOIN lots l ON l.shop_id = m.shop_id AND l.member_id = m.id AND l.remaining > 0
      WHERE m.shop_id = ${shop} AND ${since} IS NOT NULL AND m.available > 0
        AND coalesce(m.last_activity_at, m.created_at) <= ${since} ${inLane(c, sql`m.id`)}
      LIMIT ${limit})`;
}

/**
 * A chunk's statements reach every row by key (the claimed lots and members). On a large table the planner may still
 * judge a chunk of thousands of keys a large enough share to read the whole table instead, once per chunk, so the
 * sweep would slow down as the shop grows: the chunk's transaction turns sequential scans off (SET LOCAL, for its
 * own statements only).
 */
export async function keyedAccessOnly(tx: Tx): Promise<void> {
  await execute(tx, sql`SET LOCAL enable_seqscan = off`);
}

/** What a chunk claimed: its lots (their members locked), and how many due lots the search for it found (fewer than asked: the last). */
export interface Claim {
  lotIds: string[];
  /** Where each lot's version read by the claim is (its `ctid`): the write reads it there, without an index walk. */
  lotCtids: string[];
  found: number;
}

/**
 * Claims a chunk, in the caller's transaction, in one statement: up to `limit` due lots (one indexed query) name the
 * members; those are locked in id order (two sweeps lock in the same order: no deadlock), and each gives its due lots,
 * up to `perMember` in consumption order, so a member's balance is written once per chunk rather than once per lot.
 * The lots are read as of the statement's start; the write re-reads each one under the locks.
 */
export async function claimDueLots(tx: Tx, c: DueCriteria, limit: number, perMember: number): Promise<Claim> {
  const shop = param(c.shopId, 'text');
  const rows = await query<{ id: string | null; ctid: string | null; member_id: string | null; found: number }>(tx, sql`
    WITH found AS MATERIALIZED (SELECT d.member_id FROM (${dueLots(c, limit)}) d LIMIT ${limit}),
    locked AS MATERIALIZED (
      SELECT m.id, coalesce(coalesce(m.last_activity_at, m.created_at) <= ${param(c.inactiveSince, 'timestamptz')}, false) AS inactive
        FROM members m WHERE m.shop_id = ${shop} AND m.id = ANY(ARRAY(SELECT f.member_id FROM found f))
       ORDER BY m.id FOR UPDATE OF m
    )
    SELECT lt.id, lt.ctid::text AS ctid, k.id AS member_id, (SELECT count(*) FROM found)::int AS found
      FROM (SELECT 1) one
      LEFT JOIN (locked k CROSS JOIN LATERAL (
        SELECT l.id, l.ctid FROM lots l
         WHERE l.shop_id = ${shop} AND l.member_id = k.id AND l.remaining > 0
           AND (k.inactive OR coalesce(l.expires_at, 'infinity') <= ${param(c.asOf, 'timestamptz')})
         ORDER BY coalesce(l.expires_at, 'infinity'), l.created_at, l.id LIMIT ${perMember}) lt) ON true`);
  const claimed = rows.filter((r) => r.id !== null);
  return { lotIds: claimed.map((r) => r.id!), lotCtids: claimed.map((r) => r.ctid!), found: rows[0]?.found ?? 0 };
}

/**
 * Each lot's expiry as of now: what remains of it, at most what the member still has available after the
 * member's earlier due lots (consumption order). Points on hold are backed by lots but not available: a lot backing
 * them keeps that part (it is spent first if the hold commits, and expires once it is released).
 */
function plan(c: DueCriteria, lots: Fragment, only: Fragment = empty): Fragment {
  const shop = param(c.shopId, 'text');
  return sql`
  due AS (
    SELECT l.id, l.ctid AS lot_ctid, l.member_id, l.remaining, l.expires_at, l.created_at, m.available, x.entry_id
      FROM ${lots} JOIN lots l ON l.shop_id = ${shop} AND l.id = x.lot_id
      JOIN members m ON m.shop_id = l.shop_id AND m.id = l.member_id
     WHERE l.remaining > 0 AND m.available > 0 ${only}
       AND ((l.expires_at IS NOT NULL AND l.expires_at <= ${param(c.asOf, 'timestamptz')})
            OR coalesce(m.last_activity_at, m.created_at) <= ${param(c.inactiveSince, 'timestamptz')})
  ),
  take AS (
    SELECT * FROM (
      SELECT d.*, least(d.remaining, greatest(d.available - coalesce(sum(d.remaining) OVER (
               PARTITION BY d.member_id ORDER BY coalesce(d.expires_at, 'infinity'), d.created_at, d.id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), 0))::bigint AS points
        FROM due d) p
     WHERE p.points > 0
  )`;
}

/**
 * Expires the lots (their members locked by the caller) in one statement: one `expire` entry per lot, available →
 * outside, its movement, the lot's remainder and the member's balance, lifetime expired and version. Returns the
 * lots expired and their points.
 */
export async function expireLots(
  tx: Tx,
  c: DueCriteria,
  lots: { lotIds: string[]; lotCtids: string[]; entryIds: string[] },
  actor: string,
  at: Date,
): Promise<{ expired: number; points: number }> {
  const shop = param(c.shopId, 'text');
  const input = sql`unnest(${param(lots.lotIds, 'text[]')}, ${param(lots.lotCtids, 'tid[]')}, ${param(lots.entryIds, 'text[]')}) AS x(lot_id, lot_ctid, entry_id)`;
  // Each lot is read where the claim saw it (ctid) and must still be that lot; a lot changed since the claim's
  // snapshot (its version moved) is not found there and waits for a later chunk. Members are reached by key from
  // each lot and each member's sum, never by a list: a `= ANY(list)` of the chunk's members, as a parameter the plan
  // cannot hash, was compared against every one of its ~10,000 lots (a fifth of the statement's time).
  const rows = await query<{ expired: number; points: number; updated: number }>(tx, sql`
    WITH ${plan(c, input, sql`AND l.ctid = x.lot_ctid`)},
    entries AS (
      INSERT INTO ledger_entries (shop_id, id, member_id, kind, from_bucket, to_bucket, points, actor, created_at)
      SELECT ${shop}, t.entry_id, t.member_id, 'expire', 'available', NULL, t.points, ${param(actor, 'text')}, ${param(at, 'timestamptz')}
        FROM take t ORDER BY t.member_id, coalesce(t.expires_at, 'infinity'), t.created_at, t.id
    ),
    movements AS (
      INSERT INTO lot_movements (shop_id, member_id, lot_id, entry_id, points)
      SELECT ${shop}, t.member_id, t.id, t.entry_id, -t.points FROM take t
    ),
    lot_changes AS (
      UPDATE lots SET remaining = lots.remaining - t.points FROM take t
       WHERE lots.ctid = t.lot_ctid AND lots.shop_id = ${shop} AND lots.id = t.id RETURNING 1
    ),
    per_member AS (SELECT t.member_id, sum(t.points)::bigint AS points FROM take t GROUP BY t.member_id),
    outbox_rows AS (
      -- D16: each expire entry's domain event (as outbox/outbox-repo.ts's entryEvent writes a posting's).
      INSERT INTO outbox (shop_id, type, member_id, entry_id, occurred_at)
      SELECT ${shop}, 'points.expired', t.member_id, t.entry_id, ${param(at, 'timestamptz')} FROM take t
    ),
    member_changes AS (
      UPDATE members SET available = members.available - p.points, lifetime_expired = members.lifetime_expired + p.points,
             version = members.version + 1
        FROM per_member p WHERE members.shop_id = ${shop} AND members.id = p.member_id
    )
    SELECT count(*)::int AS expired, coalesce(sum(t.points), 0)::bigint AS points, (SELECT count(*) FROM lot_changes)::int AS updated
      FROM take t`);
  const { expired, points, updated } = rows[0]!;
  // Every lot is written under its member's lock, so the version read is the one updated; were it not, the entries
  // would disagree with the lots: the transaction is undone rather than committed.
  if (updated !== expired) throw new Error(`expiry: ${expired} lots planned but ${updated} updated; chunk rolled back`);
  return { expired, points: Number(points) };
}

/** D8 dry run: exactly what sweeping up to `limit` due lots would expire, in one statement, writing nothing. */
export async function countDue(executor: Executor, c: DueCriteria, limit: number): Promise<{ expired: number; points: number }> {
  const input = sql`(SELECT d.id AS lot_id, NULL::text AS entry_id FROM (${dueLots(c, limit)}) d GROUP BY d.id LIMIT ${limit}) x`;
  const rows = await query<{ expired: number; points: number }>(executor, sql`
    WITH ${plan(c, input)} SELECT count(*)::int AS expired, coalesce(sum(t.points), 0)::bigint AS points FROM take t`);
  return { expired: rows[0]!.expired, points: Number(rows[0]!.points) };
}

/** Every shop's id, for a sweep over all shops. */
export async function allShopIds(executor: Executor): Promise<string[]> {
  const rows = await query<{ id: string }>(executor, sql`SELECT id FROM shops ORDER BY id`);
  return rows.map((r) => r.id);
}
