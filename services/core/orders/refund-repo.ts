import { dateOrNull, param, query, sql } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';
import type { RefundRecord } from './order-types.ts';

/** The refunds table: each refund or completed return, applied once by its id (D5). */

/** Records a refund; false when its id was applied before. */
export async function insertRefund(tx: Executor, shopId: string, refund: RefundRecord, now: Date): Promise<boolean> {
  const rows = await query(tx, sql`
    INSERT INTO refunds (shop_id, refund_id, order_id, amount, lines, reason, occurred_at, created_at)
    VALUES (${shopId}, ${refund.refundId}, ${refund.orderId}, ${refund.amount},
            ${param(refund.lines === null ? null : JSON.stringify(refund.lines), 'jsonb')}, ${refund.reason},
            ${param(refund.occurredAt, 'timestamptz')}, ${param(now, 'timestamptz')})
    ON CONFLICT DO NOTHING
    RETURNING 1`);
  return rows.length > 0;
}

export async function refundsOf(tx: Executor, shopId: string, orderId: string): Promise<RefundRecord[]> {
  const rows = await query(tx, sql`
    SELECT * FROM refunds WHERE shop_id = ${shopId} AND order_id = ${orderId} ORDER BY occurred_at, refund_id`);
  return rows.map(refundFromRow);
}

/** The refunds of several orders (an export's), in the order `refundsOf` gives each. */
export async function refundsOfOrders(tx: Executor, shopId: string, orderIds: string[]): Promise<RefundRecord[]> {
  if (orderIds.length === 0) return [];
  const rows = await query(tx, sql`
    SELECT * FROM refunds WHERE shop_id = ${shopId} AND order_id = ANY(${param(orderIds, 'text[]')}) ORDER BY occurred_at, refund_id`);
  return rows.map(refundFromRow);
}

/** A refund row as PostgreSQL returns it: the one mapper. */
function refundFromRow(r: Record<string, unknown>): RefundRecord {
  return {
    refundId: r.refund_id as string,
    orderId: r.order_id as string,
    amount: r.amount as number,
    lines: r.lines as RefundRecord['lines'],
    reason: r.reason as string | null,
    occurredAt: dateOrNull(r.occurred_at)!,
  };
}
