import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * D17: every message Lojal means to send a member, one row per domain event that asks for one (`dedup_key` = the
 * event id, so an event handled twice, or by two workers at once, makes one row). `data` holds the template's
 * figures only (points, balance, dates, money): the address, the name and the locale are read from the member when
 * the message is sent, so an erasure (D19) reaches them. `next_attempt_at` is when a pending message is next tried.
 */
export const mailMessages = pgTable(
  'mail_messages',
  {
    shopId: text('shop_id').notNull(),
    id: text('id').notNull(),
    memberId: text('member_id').notNull(),
    template: text('template').notNull(),
    dedupKey: text('dedup_key').notNull(),
    data: jsonb('data').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at'),
    lastError: text('last_error'),
    lastResponseCode: integer('last_response_code'),
    sentAt: ts('sent_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.id] }),
    uniqueIndex('mail_messages_dedup').on(t.shopId, t.dedupKey),
    // The `mail` job's search: only pending messages are indexed, so sent ones cost the index nothing.
    index('mail_messages_due').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    // Retention (purge-outbound-history): the settled ones by age.
    index('mail_messages_settled').on(t.createdAt).where(sql`${t.status} <> 'pending'`),
    check('mail_messages_status', sql`${t.status} IN ('pending','sent','logged','failed','skipped')`),
  ],
);

/**
 * D8: the expiry reminders already raised: one per member, expiry day (the shop's calendar day) and reminder
 * (`days`, one of `remindDaysBefore`). The key is what makes a reminder go at most once, ever.
 */
export const expiryReminders = pgTable(
  'expiry_reminders',
  {
    shopId: text('shop_id').notNull(),
    memberId: text('member_id').notNull(),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    days: integer('days').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.memberId, t.expiresOn, t.days] }), index('expiry_reminders_day').on(t.expiresOn)],
);
