import { and, asc, eq, isNull, lte, ne, sql } from 'drizzle-orm';
import { orders, refunds } from '../../db/schema/index.ts';
import { namedQuery } from '../../db/raw.ts';
import type { Executor } from '../../db/tx.ts';
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
  const rows = await namedQuery(tx, 'lojal_open_order_event', OPEN_ORDER_EVENT_SQL, [
    shopId, event.eventId, event.type, event.occurredAt, event.receivedAt, data.id, data.number ?? null,
    data.customer?.id ?? null, data.customer?.id ? null : (data.customer?.email?.toLowerCase() ?? null), status,
    data.currency, data.exchangeRate === null ? null : String(data.exchangeRate), JSON.stringify(data),
  ]);
  const row = rows[0]!;
  if (!row.fresh) return { fresh: false };
  if (row.order_id !== null) return { fresh: true, order: orderFromRow(row), created: true };
  // The order was there before (or arrived after this statement's snapshot): wait for it and lock it.
  const order = await lockOrder(tx, shopId, data.id);
  if (!order) throw new Error(`order ${data.id} is neither new nor present`);
  return { fresh: true, order, created: false };
}

const OPEN_ORDER_EVENT_SQL = `
  WITH ev AS (
    INSERT INTO inbound_events (shop_id, event_id, type, occurred_at, received_at, status, order_id)
    VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, 'applied', $6)
    ON CONFLICT DO NOTHING
    RETURNING 1
  ), created AS (
    INSERT INTO orders (shop_id, order_id, number, customer_id, guest_email, status, status_at, currency, exchange_rate,
      data, created_at, updated_at)
    SELECT $1, $6, $7, $8, $9, $10, $4::timestamptz, $11, $12, $13::jsonb, $5::timestamptz, $5::timestamptz
     WHERE EXISTS (SELECT 1 FROM ev)
    ON CONFLICT DO NOTHING
    RETURNING *
  )
  SELECT EXISTS (SELECT 1 FROM ev) AS fresh, created.* FROM (SELECT 1) one LEFT JOIN created ON true`;

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

export async function saveOrder(tx: Executor, o: OrderRecord): Promise<void> {
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  await namedQuery(tx, 'lojal_save_order', SAVE_ORDER_SQL, [
    o.shopId, o.orderId, o.number, o.customerId, o.memberId, o.guestEmail, o.status, o.statusAt, o.cancelledAt,
    o.currency, o.exchangeRate, json(o.data), o.awardStatus, o.awardPoints, o.awardEligible, o.awardedAt,
    o.awardAvailableAt, json(o.awardLines), json(o.awardRules), o.awardOrderTotal, o.refundCount, o.reversedPoints,
    o.writtenOffPoints, o.redemptionId, o.redemptionStatus, o.updatedAt,
  ]);
}

const SAVE_ORDER_SQL = `
  UPDATE orders SET number = $3, customer_id = $4, member_id = $5, guest_email = $6, status = $7,
         status_at = $8::timestamptz, cancelled_at = $9::timestamptz, currency = $10, exchange_rate = $11, data = $12::jsonb,
         award_status = $13, award_points = $14::int, award_eligible = $15::int, awarded_at = $16::timestamptz,
         award_available_at = $17::timestamptz, award_lines = $18::jsonb, award_rules = $19::jsonb,
         award_order_total = $20::int, refund_count = $21::int, reversed_points = $22::int,
         written_off_points = $23::int, redemption_id = $24, redemption_status = $25, updated_at = $26::timestamptz
   WHERE shop_id = $1 AND order_id = $2`;

/** An order row as PostgreSQL returns it to a named statement (snake_case; pg's own parsers). */
function orderFromRow(r: Record<string, unknown>): OrderRecord {
  return {
    shopId: r.shop_id as string,
    orderId: r.order_id as string,
    number: r.number as string | null,
    customerId: r.customer_id as string | null,
    memberId: r.member_id as string | null,
    guestEmail: r.guest_email as string | null,
    status: r.status as string,
    statusAt: r.status_at as Date,
    cancelledAt: r.cancelled_at as Date | null,
    currency: r.currency as string,
    exchangeRate: r.exchange_rate as string | null,
    data: r.data as OrderData,
    awardStatus: r.award_status as OrderRecord['awardStatus'],
    awardPoints: r.award_points as number | null,
    awardEligible: r.award_eligible as number | null,
    awardedAt: r.awarded_at as Date | null,
    awardAvailableAt: r.award_available_at as Date | null,
    awardLines: r.award_lines as OrderRecord['awardLines'],
    awardRules: r.award_rules as OrderRecord['awardRules'],
    awardOrderTotal: r.award_order_total as number | null,
    refundCount: r.refund_count as number,
    reversedPoints: r.reversed_points as number,
    writtenOffPoints: r.written_off_points as number,
    redemptionId: r.redemption_id as string | null,
    redemptionStatus: r.redemption_status as string | null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
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
