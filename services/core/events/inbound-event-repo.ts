import { execute, param, query, sql, type Fragment } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';

/** The inbound_events table: storefront event ids seen, kept 30 days for deduplication (D15). */

/** A storefront event as it is recorded. */
export interface InboundEvent {
  eventId: string;
  type: string;
  occurredAt: Date;
  receivedAt: Date;
}

export type EventStatus = 'applied' | 'duplicate' | 'ignored';

/** Records the event as applied; false when its id was seen before (and nothing was written). */
export async function recordEvent(tx: Executor, shopId: string, event: InboundEvent, orderId: string | null): Promise<boolean> {
  const rows = await query(tx, sql`WITH ${insertEvent(shopId, event, orderId, sql``)} SELECT 1 FROM ev`);
  return rows.length > 0;
}

/**
 * The event's row as the CTE `ev` (one row when its id is new), from the rows of `from` (empty, or `FROM member`
 * to hang it off a posting's guard).
 */
export function insertEvent(shop: unknown, event: InboundEvent, orderId: string | null, from: Fragment): Fragment {
  return sql`
  ev AS (
    INSERT INTO inbound_events (shop_id, event_id, type, occurred_at, received_at, status, order_id)
    SELECT ${shop}, ${param(event.eventId, 'text')}, ${param(event.type, 'text')}, ${param(event.occurredAt, 'timestamptz')},
           ${param(event.receivedAt, 'timestamptz')}, 'applied', ${param(orderId, 'text')} ${from}
    ON CONFLICT DO NOTHING
    RETURNING 1
  )`;
}

/**
 * Many events' ids at once, one per row of `w` (columns shop_id, event_id, event_type, occurred_at, received_at,
 * order_id), as applied; one seen before is left alone. The CTE `ev`, RETURNING 1 per id recorded.
 */
export function insertEvents(): Fragment {
  return sql`
  ev AS (
    INSERT INTO inbound_events (shop_id, event_id, type, occurred_at, received_at, status, order_id)
    SELECT shop_id, event_id, event_type, occurred_at, received_at, 'applied', order_id FROM w
    ON CONFLICT DO NOTHING
    RETURNING 1
  )`;
}

/** An event that turned out a duplicate by business effect, or ignored, says so. */
export async function setEventStatus(tx: Executor, shopId: string, eventId: string, status: EventStatus): Promise<void> {
  await query(tx, sql`UPDATE inbound_events SET status = ${status} WHERE shop_id = ${shopId} AND event_id = ${eventId}`);
}

/**
 * Whether the event id was recorded, as a boolean expression (for reads that join the event's order). A scalar
 * sub-select on the key, not EXISTS: for many rows at once (order-batch-repo.ts) PostgreSQL may turn an EXISTS into
 * a hash of the whole table, read in full on every execution of the plan it keeps; a key lookup can only probe.
 */
export function eventSeen(shop: unknown, eventId: unknown): Fragment {
  return sql`((SELECT true FROM inbound_events WHERE shop_id = ${shop} AND event_id = ${eventId}) IS NOT NULL)`;
}

/** Forgets event ids received before `before`, at most `limit` in one statement; returns how many went. */
export function purgeEvents(tx: Executor, before: Date, limit: number): Promise<number> {
  return execute(tx, sql`
    DELETE FROM inbound_events WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM inbound_events WHERE received_at <= ${param(before, 'timestamptz')} LIMIT ${limit}))`);
}
