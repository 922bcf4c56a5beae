import { dateOrNull, query, sql } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';
import type { DueRequests, FeedbackRecord, FeedbackSource, MadeRequest } from './feedback-types.ts';

/**
 * The feedback table (D14): one row per order, the e-mail request and the member's answer. Its statements read the
 * orders, members and programs they choose by, as the outbox's claim reads the entries it tells of.
 */

/** The shops whose stored program sets `feedbackRequestDays` (a number; absent or null is off). */
export async function shopsAskingFeedback(executor: Executor): Promise<string[]> {
  const rows = await query<{ shop_id: string }>(executor, sql`
    SELECT shop_id FROM programs WHERE jsonb_typeof(settings -> 'feedbackRequestDays') = 'number' ORDER BY shop_id`);
  return rows.map((r) => r.shop_id);
}

/**
 * The orders due a request: completed in the window (the `orders_completed` index), of a member that is not
 * erased, has an e-mail address and marketing consent, and no feedback row yet. Guest orders have no member.
 */
function due(c: DueRequests, limit: number) {
  return sql`
    SELECT o.shop_id, o.order_id, o.member_id, coalesce(o.number, o.order_id) AS order_number
      FROM orders o
      JOIN members m ON m.shop_id = o.shop_id AND m.id = o.member_id
     WHERE o.shop_id = ${c.shopId} AND o.status = 'completed'
       AND o.status_at >= ${c.completedFrom}::timestamptz AND o.status_at <= ${c.completedBy}::timestamptz
       AND m.erased_at IS NULL AND m.email IS NOT NULL AND m.marketing_consent
       AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.shop_id = o.shop_id AND f.order_id = o.order_id)
     ORDER BY o.status_at, o.order_id
     LIMIT ${limit}`;
}

/**
 * Writes up to `limit` requests at `now` and returns those this statement wrote: an order another run asked about
 * meanwhile is skipped (ON CONFLICT DO NOTHING waits for that run's row and leaves it), so each order is asked
 * once however many runs overlap. Call it in the transaction that raises their events.
 */
export async function insertRequests(tx: Executor, c: DueRequests, limit: number, now: Date): Promise<MadeRequest[]> {
  const rows = await query<{ shop_id: string; order_id: string; member_id: string; order_number: string }>(tx, sql`
    WITH due AS (${due(c, limit)}),
    made AS (
      INSERT INTO feedback (shop_id, order_id, member_id, requested_at)
      SELECT shop_id, order_id, member_id, ${now}::timestamptz FROM due
      ON CONFLICT (shop_id, order_id) DO NOTHING
      RETURNING shop_id, order_id, member_id
    )
    SELECT made.shop_id, made.order_id, made.member_id, due.order_number
      FROM made JOIN due ON due.shop_id = made.shop_id AND due.order_id = made.order_id
     ORDER BY made.order_id`);
  return rows.map((r) => ({ shopId: r.shop_id, orderId: r.order_id, memberId: r.member_id, orderNumber: r.order_number }));
}

/** How many requests a run would write (its dry run), at most `limit`. */
export async function countDueRequests(executor: Executor, c: DueRequests, limit: number): Promise<number> {
  const rows = await query<{ n: number }>(executor, sql`SELECT count(*)::int AS n FROM (${due(c, limit)}) d`);
  return rows[0]?.n ?? 0;
}

export interface Answer {
  shopId: string;
  memberId: string;
  orderId: string;
  score: number;
  comment: string | null;
  source: FeedbackSource;
  at: Date;
}

/**
 * Records the answer for an order of the member (not erased), over its request or without one. `found`: the order is
 * the member's; `written`: this answer was recorded (false when the order had one already: the first is kept, and a
 * concurrent second waits for the first's row and then leaves it).
 */
export async function recordAnswer(tx: Executor, a: Answer): Promise<{ found: boolean; written: boolean }> {
  const rows = await query<{ found: number; written: number }>(tx, sql`
    WITH target AS (
      SELECT o.shop_id, o.order_id, o.member_id
        FROM orders o JOIN members m ON m.shop_id = o.shop_id AND m.id = o.member_id AND m.erased_at IS NULL
       WHERE o.shop_id = ${a.shopId} AND o.order_id = ${a.orderId} AND o.member_id = ${a.memberId}
    ),
    written AS (
      INSERT INTO feedback (shop_id, order_id, member_id, score, comment, answered_at, source)
      SELECT shop_id, order_id, member_id, ${a.score}::smallint, ${a.comment}::text, ${a.at}::timestamptz, ${a.source}::text FROM target
      ON CONFLICT (shop_id, order_id) DO UPDATE
        SET score = excluded.score, comment = excluded.comment, answered_at = excluded.answered_at, source = excluded.source
        WHERE feedback.answered_at IS NULL AND feedback.member_id = excluded.member_id
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM target)::int AS found, (SELECT count(*) FROM written)::int AS written`);
  return { found: (rows[0]?.found ?? 0) > 0, written: (rows[0]?.written ?? 0) > 0 };
}

/** What the score page shows: the member's locale, the order's number and its feedback row, if any. */
export interface AskedOrder {
  locale: string;
  shopName: string;
  orderNumber: string;
  feedback: FeedbackRecord | null;
}

/** The order of the member (not erased), for the score page; null when it is not theirs (or they are gone). */
export async function findAskedOrder(executor: Executor, shopId: string, memberId: string, orderId: string): Promise<AskedOrder | null> {
  const rows = await query(executor, sql`
    SELECT m.locale, s.name AS shop_name, coalesce(o.number, o.order_id) AS order_number, f.*
      FROM orders o
      JOIN members m ON m.shop_id = o.shop_id AND m.id = o.member_id AND m.erased_at IS NULL
      JOIN shops s ON s.id = o.shop_id
      LEFT JOIN feedback f ON f.shop_id = o.shop_id AND f.order_id = o.order_id
     WHERE o.shop_id = ${shopId} AND o.order_id = ${orderId} AND o.member_id = ${memberId}`);
  const r = rows[0];
  if (!r) return null;
  return { locale: r.locale as string, shopName: r.shop_name as string, orderNumber: r.order_number as string, feedback: r.shop_id ? feedbackFromRow(r) : null };
}

/** D19: an erased member's comments are personal data and go; the scores stay, for the NPS. */
export async function eraseComments(tx: Executor, shopId: string, memberId: string): Promise<void> {
  await query(tx, sql`UPDATE feedback SET comment = NULL WHERE shop_id = ${shopId} AND member_id = ${memberId} AND comment IS NOT NULL`);
}

function feedbackFromRow(r: Record<string, unknown>): FeedbackRecord {
  return {
    shopId: r.shop_id as string,
    orderId: r.order_id as string,
    memberId: r.member_id as string,
    requestedAt: dateOrNull(r.requested_at),
    score: r.score === null || r.score === undefined ? null : Number(r.score),
    comment: (r.comment as string | null) ?? null,
    answeredAt: dateOrNull(r.answered_at),
    source: (r.source as FeedbackSource | null) ?? null,
  };
}
