import { and, asc, eq, isNull, lte, ne, sql } from 'drizzle-orm';
import { orders, refunds } from '../../db/schema/index.ts';
import { dateOrNull, namedQuery } from '../../db/raw.ts';
import type { Executor } from '../../db/tx.ts';
import { POSTING_CTES, postingParams } from '../ledger/ledger-repo.ts';
import type { PostingWriter } from '../ledger/ledger-writer.ts';
import type { OrderData, OrderRecord, RefundRecord } from './order-types.ts';

type Row = typeof orders.$inferSelect;

function toRecord(row: Row): OrderRecord {
  return { ...row, data: row.data as OrderData } as OrderRecord;
}

/** The storefront event an order event arrives in, recorded with the order's row (D15). */
export interface InboundEvent {
  eventId: string;
  type: string;
  occurredAt: Date;
  receivedAt: Date;
}

/** The row of an order Lojal sees for the first time, as its first event describes it. */
export function newOrder(shopId: string, data: OrderData, status: string, statusAt: Date, now: Date): OrderRecord {
  return {
    shopId,
    orderId: data.id,
    number: data.number ?? null,
    customerId: data.customer?.id ?? null,
    memberId: null,
    guestEmail: data.customer?.id ? null : (data.customer?.email?.toLowerCase() ?? null),
    status,
    statusAt,
    cancelledAt: null,
    currency: data.currency,
    exchangeRate: data.exchangeRate === null ? null : String(data.exchangeRate),
    data,
    awardStatus: null,
    awardPoints: null,
    awardEligible: null,
    awardedAt: null,
    awardAvailableAt: null,
    awardLines: null,
    awardRules: null,
    awardOrderTotal: null,
    refundCount: 0,
    reversedPoints: 0,
    writtenOffPoints: 0,
    redemptionId: null,
    redemptionStatus: null,
    version: 0,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * The order's columns as statements write them, with their parameter types, in the order of orderParams:
 * one list for the insert, the save and the guarded update.
 */
const ORDER_COLUMNS: [string, string][] = [
  ['number', 'text'], ['customer_id', 'text'], ['member_id', 'text'], ['guest_email', 'text'], ['status', 'text'],
  ['status_at', 'timestamptz'], ['cancelled_at', 'timestamptz'], ['currency', 'text'], ['exchange_rate', 'text'],
  ['data', 'jsonb'], ['award_status', 'text'], ['award_points', 'int'], ['award_eligible', 'int'],
  ['awarded_at', 'timestamptz'], ['award_available_at', 'timestamptz'], ['award_lines', 'jsonb'],
  ['award_rules', 'jsonb'], ['award_order_total', 'int'], ['refund_count', 'int'], ['reversed_points', 'int'],
  ['written_off_points', 'int'], ['redemption_id', 'text'], ['redemption_status', 'text'], ['updated_at', 'timestamptz'],
];

function orderParams(o: OrderRecord): unknown[] {
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  return [
    o.number, o.customerId, o.memberId, o.guestEmail, o.status, o.statusAt, o.cancelledAt, o.currency, o.exchangeRate,
    json(o.data), o.awardStatus, o.awardPoints, o.awardEligible, o.awardedAt, o.awardAvailableAt, json(o.awardLines),
    json(o.awardRules), o.awardOrderTotal, o.refundCount, o.reversedPoints, o.writtenOffPoints, o.redemptionId,
    o.redemptionStatus, o.updatedAt,
  ];
}

/** `column = $n::type, …` for ORDER_COLUMNS, the first at parameter `from`. */
function orderAssignments(from: number): string {
  return ORDER_COLUMNS.map(([column, type], i) => `${column} = $${from + i}::${type}`).join(', ');
}

/** `$n::type, …` for ORDER_COLUMNS, the first at parameter `from`. */
function orderValues(from: number): string {
  return ORDER_COLUMNS.map(([, type], i) => `$${from + i}::${type}`).join(', ');
}

const ORDER_COLUMN_NAMES = ORDER_COLUMNS.map(([column]) => column).join(', ');

/**
 * Opens an order event in one round trip: records the event's id and, if the id is new, the order's row, created
 * if Lojal has not seen the order or else locked for the transaction, so that every event of one order is applied
 * one at a time (D3). `fresh` false: the event id was seen before, and nothing was written.
 */
export async function openOrderEvent(
  tx: Executor,
  shopId: string,
  event: InboundEvent,
  data: OrderData,
  status: string,
): Promise<{ fresh: false } | { fresh: true; order: OrderRecord; created: boolean }> {
  const order = newOrder(shopId, data, status, event.occurredAt, event.receivedAt);
  const rows = await namedQuery(tx, 'lojal_open_order_event', OPEN_ORDER_EVENT_SQL, [
    ...eventParams(shopId, event, data.id), ...orderParams(order), order.createdAt,
  ]);
  const row = rows[0]!;
  if (!row.fresh) return { fresh: false };
  if (row.created) return { fresh: true, order, created: true };
  // The order was there before (or arrived after this statement's snapshot): wait for it and lock it.
  const existing = await lockOrder(tx, shopId, data.id);
  if (!existing) throw new Error(`order ${data.id} is neither new nor present`);
  return { fresh: true, order: existing, created: false };
}

function eventParams(shopId: string, event: InboundEvent, orderId: string): unknown[] {
  return [shopId, event.eventId, event.type, event.occurredAt, event.receivedAt, orderId];
}

/** Records the event: $1 the shop, then eventParams' other five from parameter `at` on, the row from `from`. */
function insertEvent(at: number, from: string): string {
  return `
    INSERT INTO inbound_events (shop_id, event_id, type, occurred_at, received_at, status, order_id)
    SELECT $1, $${at}, $${at + 1}, $${at + 2}::timestamptz, $${at + 3}::timestamptz, 'applied', $${at + 4} ${from}
    ON CONFLICT DO NOTHING
    RETURNING 1`;
}

const OPEN_ORDER_EVENT_SQL = `
  WITH ev AS (${insertEvent(2, '')}
  ), created AS (
    INSERT INTO orders (shop_id, order_id, ${ORDER_COLUMN_NAMES}, created_at)
    SELECT $1, $6, ${orderValues(7)}, $${7 + ORDER_COLUMNS.length}::timestamptz
     WHERE EXISTS (SELECT 1 FROM ev)
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT EXISTS (SELECT 1 FROM ev) AS fresh, EXISTS (SELECT 1 FROM created) AS created`;

/** What an order event finds, read in one round trip and without a lock (see applyOptimistically). */
export interface OrderEventSnapshot {
  /** The event id was applied before. */
  seen: boolean;
  order: OrderRecord | null;
  member: Record<string, unknown> | null;
  /** The member has an award on another order (D12 firstOrder); false when not asked. */
  hasEarlierAward: boolean;
}

export async function orderEventSnapshot(
  executor: Executor,
  shopId: string,
  eventId: string,
  orderId: string,
  customerId: string,
  withHistory: boolean,
): Promise<OrderEventSnapshot> {
  const rows = await namedQuery(executor, 'lojal_order_event_snapshot', ORDER_EVENT_SNAPSHOT_SQL, [
    shopId, eventId, orderId, customerId, withHistory,
  ]);
  const row = rows[0]!;
  return {
    seen: row.seen as boolean,
    order: row.ord ? orderFromRow(row.ord as Record<string, unknown>) : null,
    member: row.member as Record<string, unknown> | null,
    hasEarlierAward: row.has_earlier_award as boolean,
  };
}

const ORDER_EVENT_SNAPSHOT_SQL = `
  SELECT EXISTS (SELECT 1 FROM inbound_events WHERE shop_id = $1 AND event_id = $2) AS seen,
         (SELECT row_to_json(o) FROM orders o WHERE o.shop_id = $1 AND o.order_id = $3) AS ord,
         row_to_json(m) AS member,
         $5::boolean AND EXISTS (
           SELECT 1 FROM orders o WHERE o.shop_id = $1 AND o.member_id = m.id AND o.order_id <> $3
              AND o.award_status IS NOT NULL) AS has_earlier_award
    FROM (SELECT 1) one
    LEFT JOIN members m ON m.shop_id = $1 AND m.customer_id = $4 AND m.erased_at IS NULL`;

/**
 * A PostingWriter that also records the event and inserts the order (`readVersion` null) or updates it from the
 * version it was read at, in the posting's statement and under its guard. A posting whose member moved on writes
 * nothing (null); an event id or order that another command wrote meanwhile fails the whole statement with LJ001
 * (nothing is written either way; the caller applies the event under locks).
 */
export function withOrderEvent(event: InboundEvent, order: OrderRecord, readVersion: number | null): PostingWriter {
  return async (executor, shopId, w) => {
    const rows = await namedQuery<{ seq: string | number }>(executor, 'lojal_write_order_event_posting', ORDER_EVENT_POSTING_SQL, [
      ...postingParams(shopId, w), ...eventParams(shopId, event, order.orderId).slice(1), readVersion, ...orderParams(order), order.createdAt,
    ]);
    const row = rows[0];
    return row ? Number(row.seq) : null;
  };
}

/** POSTING_CTES ($1–$43), then the event ($44–$48), the order's version as read ($49), its columns ($50 on). */
const ORDER_EVENT_POSTING_SQL = `
  WITH ${POSTING_CTES}, ev AS (${insertEvent(44, 'FROM member')}
  ), order_new AS (
    INSERT INTO orders (shop_id, order_id, ${ORDER_COLUMN_NAMES}, created_at)
    SELECT $1, $48, ${orderValues(50)}, $${50 + ORDER_COLUMNS.length}::timestamptz FROM member WHERE $49::int IS NULL
    ON CONFLICT DO NOTHING
    RETURNING 1
  ), order_seen AS (
    UPDATE orders SET ${orderAssignments(50)}, version = version + 1
     WHERE shop_id = $1 AND order_id = $48 AND version = $49::int AND EXISTS (SELECT 1 FROM member)
    RETURNING 1
  )
  SELECT seq, lojal_all_or_nothing(EXISTS (SELECT 1 FROM ev) AND
           EXISTS (SELECT 1 FROM order_new UNION ALL SELECT 1 FROM order_seen)) AS held
    FROM entry`;

export async function findOrder(tx: Executor, shopId: string, orderId: string): Promise<OrderRecord | null> {
  const rows = await tx.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.orderId, orderId)));
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function lockOrder(tx: Executor, shopId: string, orderId: string): Promise<OrderRecord | null> {
  const rows = await namedQuery(tx, 'lojal_lock_order', 'SELECT * FROM orders WHERE shop_id = $1 AND order_id = $2 FOR UPDATE', [
    shopId,
    orderId,
  ]);
  return rows[0] ? orderFromRow(rows[0]) : null;
}

export async function saveOrder(tx: Executor, order: OrderRecord): Promise<void> {
  await namedQuery(tx, 'lojal_save_order', SAVE_ORDER_SQL, [order.shopId, order.orderId, ...orderParams(order)]);
}

const SAVE_ORDER_SQL = `UPDATE orders SET ${orderAssignments(3)}, version = version + 1 WHERE shop_id = $1 AND order_id = $2`;

/** An order row as PostgreSQL returns it (snake_case; dates as Date, or as text from row_to_json). */
function orderFromRow(r: Record<string, unknown>): OrderRecord {
  return {
    shopId: r.shop_id as string,
    orderId: r.order_id as string,
    number: r.number as string | null,
    customerId: r.customer_id as string | null,
    memberId: r.member_id as string | null,
    guestEmail: r.guest_email as string | null,
    status: r.status as string,
    statusAt: dateOrNull(r.status_at)!,
    cancelledAt: dateOrNull(r.cancelled_at),
    currency: r.currency as string,
    exchangeRate: r.exchange_rate as string | null,
    data: r.data as OrderData,
    awardStatus: r.award_status as OrderRecord['awardStatus'],
    awardPoints: r.award_points as number | null,
    awardEligible: r.award_eligible as number | null,
    awardedAt: dateOrNull(r.awarded_at),
    awardAvailableAt: dateOrNull(r.award_available_at),
    awardLines: r.award_lines as OrderRecord['awardLines'],
    awardRules: r.award_rules as OrderRecord['awardRules'],
    awardOrderTotal: r.award_order_total as number | null,
    refundCount: r.refund_count as number,
    reversedPoints: r.reversed_points as number,
    writtenOffPoints: r.written_off_points as number,
    redemptionId: r.redemption_id as string | null,
    redemptionStatus: r.redemption_status as string | null,
    version: r.version as number,
    createdAt: dateOrNull(r.created_at)!,
    updatedAt: dateOrNull(r.updated_at)!,
  };
}

/** Records a refund; false when its id was applied before (D5: a refund id is applied once). */
export async function insertRefund(tx: Executor, shopId: string, refund: RefundRecord, now: Date): Promise<boolean> {
  const rows = await tx
    .insert(refunds)
    .values({ shopId, ...refund, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: refunds.refundId });
  return rows.length > 0;
}

export async function refundsOf(tx: Executor, shopId: string, orderId: string): Promise<RefundRecord[]> {
  const rows = await tx
    .select()
    .from(refunds)
    .where(and(eq(refunds.shopId, shopId), eq(refunds.orderId, orderId)))
    .orderBy(asc(refunds.occurredAt), asc(refunds.refundId));
  return rows.map((r) => ({
    refundId: r.refundId,
    orderId: r.orderId,
    amount: r.amount,
    lines: r.lines as RefundRecord['lines'],
    reason: r.reason,
    occurredAt: r.occurredAt,
  }));
}

/** Pending awards due by `asOf`, oldest first, a chunk at a time (D3). */
export async function dueAwards(tx: Executor, shopId: string | null, asOf: Date, limit: number): Promise<{ shopId: string; orderId: string }[]> {
  return tx
    .select({ shopId: orders.shopId, orderId: orders.orderId })
    .from(orders)
    .where(and(shopId ? eq(orders.shopId, shopId) : undefined, eq(orders.awardStatus, 'pending'), lte(orders.awardAvailableAt, asOf)))
    .orderBy(asc(orders.awardAvailableAt))
    .limit(limit);
}

/** D10: guest orders waiting for a member with this e-mail. */
export async function unclaimedOrders(tx: Executor, shopId: string, email: string): Promise<string[]> {
  const rows = await tx
    .select({ orderId: orders.orderId })
    .from(orders)
    .where(and(eq(orders.shopId, shopId), isNull(orders.memberId), eq(orders.guestEmail, email)))
    .orderBy(asc(orders.createdAt));
  return rows.map((r) => r.orderId);
}

/** Whether the member has an award on any other order (D12 firstOrder). */
export async function hasEarlierAward(tx: Executor, shopId: string, memberId: string, orderId: string): Promise<boolean> {
  const rows = await tx
    .select({ one: sql<number>`1` })
    .from(orders)
    .where(and(eq(orders.shopId, shopId), eq(orders.memberId, memberId), ne(orders.orderId, orderId), sql`${orders.awardStatus} IS NOT NULL`))
    .limit(1);
  return rows.length > 0;
}
