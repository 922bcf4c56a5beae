import { dateOrNull, param, query, raw, sql, type Fragment } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';
import type { TierBasis, TierChange, TierStanding, TierWindowSpan } from './tier-types.ts';

/**
 * D9: the qualifying credits (tier_credits), the tier history (tier_history) and the tier columns of members,
 * which only this repository writes; a change raises `tier.changed` in the same statement.
 */

export interface Credit {
  memberId: string;
  at: Date;
  points: number;
  spend: number;
  orderId: string;
  entryId: string;
}

export async function insertCredit(tx: Executor, shopId: string, c: Credit): Promise<void> {
  await query(tx, sql`
    INSERT INTO tier_credits (shop_id, member_id, at, points, spend, order_id, entry_id)
    VALUES (${shopId}, ${c.memberId}, ${param(c.at, 'timestamptz')}, ${c.points}, ${c.spend}, ${c.orderId}, ${c.entryId})`);
}

/** What an order has credited so far (its maturity less its reversals). */
export async function creditedForOrder(tx: Executor, shopId: string, memberId: string, orderId: string): Promise<{ points: number; spend: number }> {
  const rows = await query(tx, sql`
    SELECT coalesce(sum(points), 0)::bigint AS points, coalesce(sum(spend), 0)::bigint AS spend
      FROM tier_credits WHERE shop_id = ${shopId} AND member_id = ${memberId} AND order_id = ${orderId}`);
  return { points: Number(rows[0]!.points), spend: Number(rows[0]!.spend) };
}

const column = (basis: TierBasis) => raw(basis === 'spend' ? 'c.spend' : 'c.points');

/** The sum over a window, up to `asOf`, of the member `m` of the surrounding statement (a scalar subquery). */
function windowSum(shop: unknown, basis: TierBasis, span: TierWindowSpan | null, asOf: Date): Fragment {
  if (!span) return sql`0::bigint`;
  const start = span.start ? sql` AND c.at >= ${param(span.start, 'timestamptz')}` : sql``;
  // A window closed by `asOf` ends before its end; one still open (or ending at `asOf`, rolling) counts up to `asOf`.
  const end = span.end && span.end <= asOf && span.end.getTime() !== asOf.getTime()
    ? sql` AND c.at < ${param(span.end, 'timestamptz')}`
    : sql` AND c.at <= ${param(asOf, 'timestamptz')}`;
  return sql`(SELECT coalesce(sum(${column(basis)}), 0)::bigint FROM tier_credits c
     WHERE c.shop_id = ${shop} AND c.member_id = m.id${start}${end})`;
}

/** The member's qualifying total over a window, as of `asOf`. */
export async function qualifyingTotal(tx: Executor, shopId: string, memberId: string, basis: TierBasis, span: TierWindowSpan, asOf: Date): Promise<number> {
  const shop = param(shopId);
  const rows = await query(tx, sql`
    SELECT ${windowSum(shop, basis, span, asOf)} AS total FROM members m WHERE m.shop_id = ${shop} AND m.id = ${memberId}`);
  return Number(rows[0]?.total ?? 0);
}

/** A member a tier decision is about, with its totals. */
export interface TierCandidate extends TierStanding {
  memberId: string;
  current: number;
  previous: number;
}

function candidateFromRow(r: Record<string, unknown>): TierCandidate {
  return {
    memberId: r.id as string,
    tierId: (r.tier_id as string | null) ?? null,
    since: dateOrNull(r.tier_since),
    reviewAt: dateOrNull(r.tier_review_at),
    heldUntil: dateOrNull(r.tier_held_until),
    current: Number(r.current),
    previous: Number(r.previous),
  };
}

export interface TotalsQuery {
  basis: TierBasis;
  current: TierWindowSpan;
  previous: TierWindowSpan | null;
  asOf: Date;
}

/**
 * The next `limit` members whose review is due by `asOf`, in (review, id) order after `after`, with their totals of
 * the current and the last closed window: one statement per chunk, the members_tier_review index.
 */
export async function dueReviews(tx: Executor, shopId: string, q: TotalsQuery, after: { at: Date; id: string } | null, limit: number): Promise<TierCandidate[]> {
  const shop = param(shopId);
  const asOf = param(q.asOf, 'timestamptz');
  const cursor = after ? sql` AND (m.tier_review_at, m.id) > (${param(after.at, 'timestamptz')}, ${after.id})` : sql``;
  const rows = await query(tx, sql`
    SELECT m.id, m.tier_id, m.tier_since, m.tier_review_at, m.tier_held_until,
           ${windowSum(shop, q.basis, q.current, q.asOf)} AS current, ${windowSum(shop, q.basis, q.previous, q.asOf)} AS previous
      FROM members m
     WHERE m.shop_id = ${shop} AND m.tier_review_at IS NOT NULL AND m.tier_review_at <= ${asOf}${cursor}
     ORDER BY m.tier_review_at, m.id
     LIMIT ${limit}`);
  return rows.map(candidateFromRow);
}

/** The next `limit` members of the shop after `afterId` (id order), with their current totals: a tiers change. */
export async function membersAfter(tx: Executor, shopId: string, q: TotalsQuery, afterId: string | null, limit: number): Promise<TierCandidate[]> {
  const shop = param(shopId);
  const cursor = afterId ? sql` AND m.id > ${afterId}` : sql``;
  const rows = await query(tx, sql`
    SELECT m.id, m.tier_id, m.tier_since, m.tier_review_at, m.tier_held_until,
           ${windowSum(shop, q.basis, q.current, q.asOf)} AS current, 0 AS previous
      FROM members m
     WHERE m.shop_id = ${shop}${cursor}
     ORDER BY m.id
     LIMIT ${limit}`);
  return rows.map(candidateFromRow);
}

/** A decision to write: a change of tier (with its event's data), or a new review date for the same tier. */
export type TierWrite =
  | { memberId: string; read: TierStanding; change: TierChange; eventData: Record<string, unknown>; actor: string; note: string | null }
  | { memberId: string; read: TierStanding; reviewAt: Date | null; heldUntil?: Date | null };

/**
 * Writes a chunk of decisions in one statement. Each applies only if the member's tier and review are still as they
 * were read (a concurrent run or an upgrade got there first: that member is left as it now is), so two runs at once
 * change each member once. A change moves the member's version (a lock-free award planned with the old multiplier
 * is planned again), records the history and raises tier.changed. Returns the ids of the members it changed.
 */
export async function writeTierDecisions(tx: Executor, shopId: string, writes: readonly TierWrite[], at: Date): Promise<Set<string>> {
  if (writes.length === 0) return new Set();
  const changes = writes.map((w) => ('change' in w ? w : null));
  const pick = <T>(f: (w: TierWrite) => T) => writes.map(f);
  const rows = await query(tx, sql`
    WITH d AS (
      SELECT * FROM unnest(${pick((w) => w.memberId)}::text[], ${pick((w) => w.read.tierId)}::text[],
                           ${pick((w) => w.read.reviewAt)}::timestamptz[], ${changes.map((c) => c !== null)}::bool[],
                           ${pick((w) => ('change' in w ? w.change.to : w.read.tierId))}::text[],
                           ${pick((w) => ('change' in w ? w.change.since : w.read.since))}::timestamptz[],
                           ${pick((w) => ('change' in w ? w.change.reviewAt : w.reviewAt))}::timestamptz[],
                           ${pick((w) => ('change' in w ? w.change.heldUntil : w.heldUntil !== undefined ? w.heldUntil : w.read.heldUntil))}::timestamptz[],
                           ${changes.map((c) => c?.change.from ?? null)}::text[], ${changes.map((c) => c?.change.reason ?? null)}::text[], ${changes.map((c) => c?.note ?? null)}::text[],
                           ${changes.map((c) => c?.actor ?? null)}::text[], ${changes.map((c) => (c ? JSON.stringify(c.eventData) : null))}::jsonb[])
        AS d(member_id, read_tier, read_review, changed, tier_id, since, review_at, held_until, from_tier, reason, note, actor, data)
    ),
    saved AS (
      UPDATE members m SET tier_id = d.tier_id, tier_since = d.since, tier_review_at = d.review_at, tier_held_until = d.held_until,
             version = m.version + CASE WHEN d.changed THEN 1 ELSE 0 END
        FROM d
       WHERE m.shop_id = ${shopId} AND m.id = d.member_id
         AND m.tier_id IS NOT DISTINCT FROM d.read_tier AND m.tier_review_at IS NOT DISTINCT FROM d.read_review
      RETURNING d.*
    ),
    history AS (
      INSERT INTO tier_history (shop_id, member_id, from_tier, to_tier, reason, note, actor, at)
      SELECT ${shopId}, member_id, from_tier, tier_id, reason, note, actor, ${param(at, 'timestamptz')} FROM saved WHERE changed
    ),
    events AS (
      INSERT INTO outbox (shop_id, type, member_id, data, occurred_at)
      SELECT ${shopId}, 'tier.changed', member_id, data, ${param(at, 'timestamptz')} FROM saved WHERE changed
    )
    SELECT member_id FROM saved WHERE changed`);
  return new Set(rows.map((r) => r.member_id as string));
}

export interface TierHistoryRow {
  id: number;
  from: string | null;
  to: string;
  reason: string;
  note: string | null;
  actor: string;
  at: Date;
}

/** The member's tier changes, newest first, before the row `beforeId` when given. */
export async function tierHistory(tx: Executor, shopId: string, memberId: string, limit: number, beforeId: number | null): Promise<TierHistoryRow[]> {
  const before = beforeId === null ? sql`` : sql` AND id < ${beforeId}`;
  const rows = await query(tx, sql`
    SELECT id, from_tier, to_tier, reason, note, actor, at FROM tier_history
     WHERE shop_id = ${shopId} AND member_id = ${memberId}${before}
     ORDER BY id DESC LIMIT ${limit}`);
  return rows.map((r) => ({
    id: Number(r.id),
    from: (r.from_tier as string | null) ?? null,
    to: r.to_tier as string,
    reason: r.reason as string,
    note: (r.note as string | null) ?? null,
    actor: r.actor as string,
    at: dateOrNull(r.at)!,
  }));
}

/** D19: an operator's words on a member's tier changes may name the customer: erasure blanks them. */
export async function eraseNotes(tx: Executor, shopId: string, memberId: string): Promise<void> {
  await query(tx, sql`UPDATE tier_history SET note = NULL WHERE shop_id = ${shopId} AND member_id = ${memberId} AND note IS NOT NULL`);
}
