import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** D6: quote → hold → commit or release. A hold moves points available → held at once and lives until its TTL. */
export const redemptions = pgTable(
  'redemptions',
  {
    shopId: text('shop_id').notNull(),
    id: text('id').notNull(),
    memberId: text('member_id').notNull(),
    customerId: text('customer_id').notNull(),
    cartId: text('cart_id'),
    points: bigint('points', { mode: 'number' }).notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    status: text('status').notNull(),
    orderId: text('order_id'),
    expiresAt: ts('expires_at').notNull(),
    commitEntryId: text('commit_entry_id'),
    restoredPoints: bigint('restored_points', { mode: 'number' }).notNull().default(0),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.id] }),
    index('redemptions_open').on(t.shopId, t.expiresAt).where(sql`${t.status} = 'held'`),
    // Only holds made for a cart are looked up by it (a new hold for the cart replaces them).
    index('redemptions_cart').on(t.shopId, t.memberId, t.cartId).where(sql`${t.status} = 'held' AND ${t.cartId} IS NOT NULL`),
    check('redemptions_status', sql`${t.status} IN ('held','committed','released','expired')`),
    check('redemptions_points_positive', sql`${t.points} > 0`),
    check('redemptions_restored_capped', sql`${t.restoredPoints} >= 0 AND ${t.restoredPoints} <= ${t.points}`),
  ],
);
