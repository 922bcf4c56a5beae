import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A storefront order as Lojal knows it, with its award (D3): at most one per order, whatever the events.
 * The latest event by `occurredAt` sets the status and the order data.
 */
export const orders = pgTable(
  'orders',
  {
    shopId: text('shop_id').notNull(),
    orderId: text('order_id').notNull(),
    number: text('number'),
    customerId: text('customer_id'),
    memberId: text('member_id'),
    /** D10: a guest order accrues to this e-mail until a member with it is verified. */
    guestEmail: text('guest_email'),
    status: text('status').notNull(),
    statusAt: ts('status_at').notNull(),
    cancelledAt: ts('cancelled_at'),
    currency: text('currency').notNull(),
    exchangeRate: text('exchange_rate'),
    data: jsonb('data').notNull(),
    awardStatus: text('award_status'),
    awardPoints: bigint('award_points', { mode: 'number' }),
    awardEligible: bigint('award_eligible', { mode: 'number' }),
    awardedAt: ts('awarded_at'),
    awardAvailableAt: ts('award_available_at'),
    awardLines: jsonb('award_lines'),
    awardRules: jsonb('award_rules'),
    awardOrderTotal: bigint('award_order_total', { mode: 'number' }),
    /** How many refunds the order has: none means nothing to read before reversing (the usual case). */
    refundCount: integer('refund_count').notNull().default(0),
    reversedPoints: bigint('reversed_points', { mode: 'number' }).notNull().default(0),
    writtenOffPoints: bigint('written_off_points', { mode: 'number' }).notNull().default(0),
    /** D6: the redemption the order carried, and what became of it ('committed', 'expired', 'released'). */
    redemptionId: text('redemption_id'),
    redemptionStatus: text('redemption_status'),
    /** Bumped by every change: a write planned without the row lock applies only to the version it read. */
    version: integer('version').notNull().default(0),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.orderId] }),
    index('orders_maturing').on(t.shopId, t.awardAvailableAt).where(sql`${t.awardStatus} = 'pending'`),
    index('orders_guest').on(t.shopId, t.guestEmail).where(sql`${t.memberId} IS NULL AND ${t.guestEmail} IS NOT NULL`),
    // Partial (issue 15): a lookup by order id can only be planned on the primary key.
    index('orders_member').on(t.shopId, t.memberId).where(sql`${t.memberId} IS NOT NULL`),
    // D14: the feedback-requests job reads each shop's orders completed in a window of time.
    index('orders_completed').on(t.shopId, t.statusAt).where(sql`${t.status} = 'completed'`),
    check('orders_award_status', sql`${t.awardStatus} IS NULL OR ${t.awardStatus} IN ('pending','available','void')`),
    check('orders_reversed_capped', sql`${t.reversedPoints} >= 0 AND ${t.reversedPoints} <= coalesce(${t.awardPoints}, 0)`),
  ],
);

/** D5: each refund or completed return, applied once by its id. */
export const refunds = pgTable(
  'refunds',
  {
    shopId: text('shop_id').notNull(),
    refundId: text('refund_id').notNull(),
    orderId: text('order_id').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    lines: jsonb('lines'),
    reason: text('reason'),
    occurredAt: ts('occurred_at').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.refundId] }), index('refunds_order').on(t.shopId, t.orderId)],
);

/** D15: storefront events seen, by their id, kept 30 days for deduplication. */
export const inboundEvents = pgTable(
  'inbound_events',
  {
    shopId: text('shop_id').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    occurredAt: ts('occurred_at').notNull(),
    receivedAt: ts('received_at').notNull(),
    status: text('status').notNull(),
    orderId: text('order_id'),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.eventId] }),
    // Only the purge of ids past their 30 days reads by time, and rows arrive in time order: a BRIN index (a few
    // pages, next to nothing per insert) serves it; a B-tree cost a second index insert on every event.
    index('inbound_events_received').using('brin', t.receivedAt),
  ],
);
