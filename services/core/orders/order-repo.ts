import { and, asc, eq, isNull, lte, ne, sql } from 'drizzle-orm';
import { orders, refunds } from '../../db/schema/index.ts';
import type { Executor } from '../../db/tx.ts';
import type { OrderData, OrderRecord, RefundRecord } from './order-types.ts';

type Row = typeof orders.$inferSelect;

function toRecord(row: Row): OrderRecord {
  return { ...row, data: row.data as OrderData } as OrderRecord;
}

/**
 * The order's row, locked for the transaction, created first if Lojal has not seen the order: every event of one
 * order is applied one at a time (D3).
 */
export async function lockOrCreateOrder(
  tx: Executor,
  shopId: string,
  data: OrderData,
  statusAt: Date,
  status: string,
  now: Date,
): Promise<{ order: OrderRecord; created: boolean }> {
  const inserted = await tx
    .insert(orders)
    .values({
      shopId,
      orderId: data.id,
      number: data.number ?? null,
      customerId: data.customer?.id ?? null,
      guestEmail: data.customer?.id ? null : (data.customer?.email?.toLowerCase() ?? null),
      status,
      statusAt,
      currency: data.currency,
      exchangeRate: data.exchangeRate === null ? null : String(data.exchangeRate),
      data,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return { order: toRecord(inserted[0]), created: true };
  const rows = await tx.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.orderId, data.id))).for('update');
  return { order: toRecord(rows[0]!), created: false };
}

export async function findOrder(tx: Executor, shopId: string, orderId: string): Promise<OrderRecord | null> {
  const rows = await tx.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.orderId, orderId)));
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function lockOrder(tx: Executor, shopId: string, orderId: string): Promise<OrderRecord | null> {
  const rows = await tx.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.orderId, orderId))).for('update');
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function saveOrder(tx: Executor, order: OrderRecord): Promise<void> {
  const { shopId, orderId, createdAt: _created, ...rest } = order;
  await tx.update(orders).set(rest).where(and(eq(orders.shopId, shopId), eq(orders.orderId, orderId)));
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
