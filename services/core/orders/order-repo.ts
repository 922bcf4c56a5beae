import { and, asc, eq, isNull, lte, ne, sql } from 'drizzle-orm';
import { orders, refunds } from '../../db/schema/index.ts';
import { dateOrNull, namedQuery, Params } from '../../db/raw.ts';
import type { Executor } from '../../db/tx.ts';
import { postingCtes } from '../ledger/ledger-repo.ts';
import type { PostingWriter } from '../ledger/ledger-writer.ts';
import type { OrderData, OrderRecord, RefundRecord } from './order-types.ts';

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
 * The order's columns as statements write them, with their parameter types, in the order of orderValues:
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

function orderValues(o: OrderRecord): unknown[] {
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  return [
    o.number, o.customerId, o.memberId, o.guestEmail, o.status, o.statusAt, o.cancelledAt, o.currency, o.exchangeRate,
    json(o.data), o.awardStatus, o.awardPoints, o.awardEligible, o.awardedAt, o.awardAvailableAt, json(o.awardLines),
    json(o.awardRules), o.awardOrderTotal, o.refundCount, o.reversedPoints, o.writtenOffPoints, o.redemptionId,
    o.redemptionStatus, o.updatedAt,
  ];
}

/** `column = $n::type, …`: every ORDER_COLUMNS column set to the order's value. */
function orderAssignments(params: Params, o: OrderRecord): string {
  const values = orderValues(o);
  return ORDER_COLUMNS.map(([column, type], i) => `${column} = ${params.add(values[i], type)}`).join(', ');
}

/** `INSERT INTO orders … SELECT` of the order's row (its key, ORDER_COLUMNS, created_at); the caller adds the rest. */
function insertOrder(params: Params, shop: string, o: OrderRecord): string {
  const values = orderValues(o);
  return `
    INSERT INTO orders (shop_id, order_id, ${ORDER_COLUMNS.map(([column]) => column).join(', ')}, created_at)
    SELECT ${shop}, ${params.add(o.orderId, 'text')}, ${ORDER_COLUMNS.map(([, type], i) => params.add(values[i], type)).join(', ')},
           ${params.add(o.createdAt, 'timestamptz')}`;
}

/** Records the event (as applied; a seen id inserts nothing), from the rows of `from`. */
function insertEvent(params: Params, shop: string, event: InboundEvent, orderId: string, from: string): string {
  return `
    INSERT INTO inbound_events (shop_id, event_id, type, occurred_at, received_at, status, order_id)
    SELECT ${shop}, ${params.add(event.eventId, 'text')}, ${params.add(event.type, 'text')}, ${params.add(event.occurredAt, 'timestamptz')},
           ${params.add(event.receivedAt, 'timestamptz')}, 'applied', ${params.add(orderId, 'text')} ${from}
    ON CONFLICT DO NOTHING
    RETURNING 1`;
}

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
  const params = new Params();
  const shop = params.add(shopId);
  const text = `
    WITH ev AS (${insertEvent(params, shop, event, data.id, '')}
    ), created AS (${insertOrder(params, shop, order)}
       WHERE EXISTS (SELECT 1 FROM ev)
      ON CONFLICT DO NOTHING
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM ev) AS fresh, EXISTS (SELECT 1 FROM created) AS created`;
  const row = (await namedQuery(tx, 'lojal_open_order_event', text, params.values))[0]!;
  if (!row.fresh) return { fresh: false };
  if (row.created) return { fresh: true, order, created: true };
  // The order was there before (or arrived after this statement's snapshot): wait for it and lock it.
  const existing = await lockOrder(tx, shopId, data.id);
  if (!existing) throw new Error(`order ${data.id} is neither new nor present`);
  return { fresh: true, order: existing, created: false };
}

/** What an order event finds, read in one round trip and without a lock (see applyOptimistically). */
export interface OrderEventSnapshot {
  /** The event id was applied before. */
  seen: boolean;
  order: OrderRecord | null;
  member: Record<string, unknown> | null;
}

export async function orderEventSnapshot(
  executor: Executor,
  shopId: string,
  eventId: string,
  orderId: string,
  customerId: string,
): Promise<OrderEventSnapshot> {
  const rows = await namedQuery(executor, 'lojal_order_event_snapshot', ORDER_EVENT_SNAPSHOT_SQL, [shopId, eventId, orderId, customerId]);
  const row = rows[0]!;
  return {
    seen: row.seen as boolean,
    order: row.ord ? orderFromRow(row.ord as Record<string, unknown>) : null,
    member: row.member as Record<string, unknown> | null,
  };
}

const ORDER_EVENT_SNAPSHOT_SQL = `
  SELECT EXISTS (SELECT 1 FROM inbound_events WHERE shop_id = $1 AND event_id = $2) AS seen,
         (SELECT row_to_json(o) FROM orders o WHERE o.shop_id = $1 AND o.order_id = $3) AS ord,
         (SELECT row_to_json(m) FROM members m WHERE m.shop_id = $1 AND m.customer_id = $4 AND m.erased_at IS NULL) AS member`;

/**
 * A PostingWriter that also records the event and inserts the order (`readVersion` null) or updates it from the
 * version it was read at, in the posting's statement and under its guard. A posting whose member moved on writes
 * nothing (null); an event id or order that another command wrote meanwhile fails the whole statement with LJ001
 * (nothing is written either way; the caller applies the event under locks).
 */
export function withOrderEvent(event: InboundEvent, order: OrderRecord, readVersion: number | null): PostingWriter {
  return async (executor, shopId, w) => {
    const params = new Params();
    const posting = postingCtes(params, shopId, w);
    const { shop } = posting;
    const written = readVersion === null
      ? `${insertOrder(params, shop, order)} FROM member
    ON CONFLICT DO NOTHING
    RETURNING 1`
      : `
    UPDATE orders SET ${orderAssignments(params, order)}, version = version + 1
     WHERE shop_id = ${shop} AND order_id = ${params.add(order.orderId)} AND version = ${params.add(readVersion)}
       AND EXISTS (SELECT 1 FROM member)
    RETURNING 1`;
    const text = `
  WITH ${posting.text}, ev AS (${insertEvent(params, shop, event, order.orderId, 'FROM member')}
  ), ord AS (${written}
  )
  SELECT seq, lojal_all_or_nothing(EXISTS (SELECT 1 FROM ev) AND EXISTS (SELECT 1 FROM ord)) AS held FROM entry`;
    const name = `lojal_order_event${posting.variant}_${readVersion === null ? 'new' : 'seen'}`;
    const row = (await namedQuery<{ seq: string | number }>(executor, name, text, params.values))[0];
    return row ? Number(row.seq) : null;
  };
}

export async function findOrder(tx: Executor, shopId: string, orderId: string): Promise<OrderRecord | null> {
  const rows = await namedQuery(tx, 'lojal_find_order', 'SELECT * FROM orders WHERE shop_id = $1 AND order_id = $2', [shopId, orderId]);
  return rows[0] ? orderFromRow(rows[0]) : null;
}

export async function lockOrder(tx: Executor, shopId: string, orderId: string): Promise<OrderRecord | null> {
  const rows = await namedQuery(tx, 'lojal_lock_order', 'SELECT * FROM orders WHERE shop_id = $1 AND order_id = $2 FOR UPDATE', [
    shopId,
    orderId,
  ]);
  return rows[0] ? orderFromRow(rows[0]) : null;
}

export async function saveOrder(tx: Executor, order: OrderRecord): Promise<void> {
  const params = new Params();
  const text = `UPDATE orders SET ${orderAssignments(params, order)}, version = version + 1
   WHERE shop_id = ${params.add(order.shopId)} AND order_id = ${params.add(order.orderId)}`;
  await namedQuery(tx, 'lojal_save_order', text, params.values);
}

/** An order row as PostgreSQL returns it (snake_case; dates as Date, or as text from row_to_json): the one mapper. */
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
