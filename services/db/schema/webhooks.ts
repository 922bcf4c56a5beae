import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { shops } from './shops.ts';

/** D16: where a shop wants its own copies of Lojal's events (one endpoint per shop; no row: none set). */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  shopId: text('shop_id').primaryKey().references(() => shops.id),
  /** An absolute http(s) URL, or null once removed. */
  url: text('url'),
  enabled: boolean('enabled').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * D16: one outbound webhook per event and shop (the relay may hand an event twice: the unique key keeps one), with
 * the exact body sent, so every retry sends the same bytes. `next_attempt_at` is set while pending: the due ones are
 * found through the partial index. The id is time-ordered (ids.ts), so the listing pages by it.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    shopId: text('shop_id').notNull().references(() => shops.id),
    id: text('id').notNull(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The member the event is about (D19: an erasure takes its customer id out of the stored bodies). */
    memberId: text('member_id'),
    body: text('body').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true, mode: 'date' }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.id] }),
    uniqueIndex('webhook_deliveries_event').on(t.shopId, t.eventId),
    index('webhook_deliveries_due').on(t.shopId, t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_shop_status').on(t.shopId, t.status, t.id),
    // Retention (purge-outbound-history): the settled ones by age.
    index('webhook_deliveries_settled').on(t.createdAt).where(sql`${t.status} <> 'pending'`),
    index('webhook_deliveries_member').on(t.shopId, t.memberId).where(sql`${t.memberId} IS NOT NULL`),
    check('webhook_deliveries_status', sql`${t.status} IN ('pending', 'delivered', 'failed')`),
  ],
);
