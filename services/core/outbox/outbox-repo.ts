import { execute, param, query, sql, type Fragment } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';
import type { EntryKind } from '../ledger/ledger-types.ts';
import { ENTRY_EVENTS, type DomainEvent, type DomainEventType, type EventData } from './outbox-types.ts';

/**
 * The outbox table (D16): rows written with the change they tell of, claimed by the relay in batches and deleted
 * once they are in BullMQ.
 */

/**
 * The event of a posting's entry, as a CTE of the posting's statement (after `member` and `entry`): written only
 * when the entry is. The relay reads the entry's details, so the row holds its id alone.
 */
export function entryEvent(shop: unknown, kind: EntryKind, entryId: unknown, at: unknown, memberCreated = false): Fragment {
  if (memberCreated) {
    // A posting that creates its member: member.created first, then the entry's event.
    return sql`
  outbox_row AS (
    INSERT INTO outbox (shop_id, type, member_id, entry_id, occurred_at)
    SELECT ${shop}, t.type, member.id, t.entry_id, ${at} FROM entry, member,
           (VALUES (1, 'member.created', NULL::text), (2, ${param(ENTRY_EVENTS[kind], 'text')}, ${entryId})) AS t(step, type, entry_id)
     ORDER BY t.step
  )`;
  }
  return sql`
  outbox_row AS (
    INSERT INTO outbox (shop_id, type, member_id, entry_id, occurred_at)
    SELECT ${shop}, ${param(ENTRY_EVENTS[kind], 'text')}, member.id, ${entryId}, ${at} FROM entry, member
  )`;
}

/**
 * D16 for many postings at once (group commit): member.created for each member in `created`, then each entry's
 * event (`entry_event`) for the rows of `w`, in that order, as the CTE `outbox_rows`.
 */
export function entryEvents(): Fragment {
  return sql`
  outbox_rows AS (
    INSERT INTO outbox (shop_id, type, member_id, entry_id, occurred_at)
    SELECT shop_id, type, member_id, entry_id, occurred_at FROM (
      SELECT shop_id, 'member.created' AS type, id AS member_id, NULL::text AS entry_id, created_at AS occurred_at, 0 AS step
        FROM created
      UNION ALL
      SELECT shop_id, entry_event, member_id, entry_id, at, 1 FROM w
    ) raised ORDER BY step
  )`;
}

/** A new event that is not an entry's (points.expiring, member.erased, feedback.requested...), in `tx`. */
export interface RaisedEvent {
  shopId: string;
  type: Exclude<DomainEventType, (typeof ENTRY_EVENTS)[EntryKind]>;
  memberId: string | null;
  data: Partial<EventData>;
  at: Date;
}

export async function raiseEvents(tx: Executor, events: readonly RaisedEvent[]): Promise<void> {
  if (events.length === 0) return;
  await execute(tx, sql`
    INSERT INTO outbox (shop_id, type, member_id, data, occurred_at)
    SELECT * FROM unnest(${events.map((e) => e.shopId)}::text[], ${events.map((e) => e.type)}::text[],
                         ${events.map((e) => e.memberId)}::text[], ${events.map((e) => JSON.stringify(e.data))}::jsonb[],
                         ${events.map((e) => e.at)}::timestamptz[])`);
}

/**
 * Claims up to `limit` of the oldest rows (FOR UPDATE SKIP LOCKED: two relays take different rows) with what
 * their events say, read from the entry and the member as they are now. Call it in a transaction, hand the events
 * on, then `deleteRelayed` in the same transaction: a crash in between leaves the rows to be claimed again. Each
 * row reaches its member and entry by their keys (LATERAL … LIMIT 1, which PostgreSQL cannot turn into a join): a
 * plain join's plan, kept from a new database's first minute, hashed both tables whole on every claim.
 */
export async function claimBatch(tx: Executor, limit: number): Promise<DomainEvent[]> {
  const rows = await query(tx, sql`
    SELECT o.id, o.shop_id, o.type, o.member_id, o.entry_id, o.data, o.occurred_at,
           m.customer_id, m.erased_at, m.available, m.pending, m.held,
           e.points, e.from_bucket, e.to_bucket, e.order_id, e.refund_id, e.redemption_id, e.reason, e.expires_at,
           e.reference, e.metadata ->> 'bonusKind' AS bonus_kind
      FROM (SELECT * FROM outbox ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED) o
      LEFT JOIN LATERAL (SELECT * FROM members WHERE shop_id = o.shop_id AND id = o.member_id LIMIT 1) m ON true
      LEFT JOIN LATERAL (SELECT * FROM ledger_entries WHERE shop_id = o.shop_id AND id = o.entry_id LIMIT 1) e ON true
     ORDER BY o.id`);
  return rows.map(eventFromRow);
}

export async function deleteRelayed(tx: Executor, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await execute(tx, sql`DELETE FROM outbox WHERE id = ANY(${ids.map(String)}::bigint[])`);
}

/** How many rows wait and how old the oldest is (seconds; 0 when none): the relay's lag. */
export async function backlog(tx: Executor, now: Date): Promise<{ waiting: number; lagSeconds: number }> {
  const rows = await query<{ waiting: number; oldest: Date | null }>(tx, sql`
    SELECT count(*)::int AS waiting, min(created_at) AS oldest FROM outbox`);
  const oldest = rows[0]?.oldest ?? null;
  return { waiting: rows[0]?.waiting ?? 0, lagSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0 };
}

/** The outbox row id inside an event id (`evt_<id>`). */
export function outboxId(event: DomainEvent): number {
  return Number(event.id.slice('evt_'.length));
}

function eventFromRow(r: Record<string, unknown>): DomainEvent {
  const erased = r.erased_at !== null && r.erased_at !== undefined;
  const data: EventData = { customerId: r.member_id && !erased ? (r.customer_id as string) : null };
  if (r.entry_id) {
    Object.assign(data, {
      entryId: r.entry_id,
      points: Number(r.points),
      from: r.from_bucket,
      to: r.to_bucket,
      orderId: r.order_id,
      refundId: r.refund_id,
      redemptionId: r.redemption_id,
      reason: r.reason,
      expiresAt: r.expires_at ? (r.expires_at as Date).toISOString() : null,
    });
    // D11: a bonus says what it was for and the reference that makes it once.
    if (r.bonus_kind) Object.assign(data, { bonusKind: r.bonus_kind, reference: r.reference });
  }
  if (r.data) Object.assign(data, r.data as object, { customerId: data.customerId });
  if (r.member_id && r.available !== null && r.available !== undefined) {
    data.balance = { available: Number(r.available), pending: Number(r.pending), held: Number(r.held) };
  }
  return {
    id: `evt_${r.id}`,
    shopId: r.shop_id as string,
    type: r.type as DomainEventType,
    occurredAt: (r.occurred_at as Date).toISOString(),
    memberId: (r.member_id as string | null) ?? null,
    data,
  };
}
