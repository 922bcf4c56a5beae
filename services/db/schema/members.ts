import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { shops } from './shops.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A shop's customer in the program, with its balances (D13). Balances change only in the transaction that writes
 * their entries; `available` may go below zero (debt, D5), the other buckets never do.
 */
export const members = pgTable(
  'members',
  {
    shopId: text('shop_id').notNull().references(() => shops.id),
    id: text('id').notNull(),
    customerId: text('customer_id').notNull(),
    email: text('email'),
    emailVerified: boolean('email_verified').notNull().default(false),
    firstName: text('first_name'),
    lastName: text('last_name'),
    locale: text('locale').notNull().default('en'),
    birthday: date('birthday', { mode: 'string' }),
    marketingConsent: boolean('marketing_consent').notNull().default(false),
    referredBy: text('referred_by'),
    /** D9: the member's tier (an id of the shop's tier configuration), null while the shop has no tiers. */
    tierId: text('tier_id'),
    tierSince: ts('tier_since'),
    /**
     * D9: when the downgrade job next looks at the member: the end of the window that must sustain the tier, plus
     * `retainMonths`; null for the lowest tier and without tiers. Also the member view's `retainUntil`.
     */
    tierReviewAt: ts('tier_review_at'),
    /** D9: a tier set by hand holds, whatever the totals, until then (null: no hold). */
    tierHeldUntil: ts('tier_held_until'),
    pending: bigint('pending', { mode: 'number' }).notNull().default(0),
    available: bigint('available', { mode: 'number' }).notNull().default(0),
    held: bigint('held', { mode: 'number' }).notNull().default(0),
    lifetimeEarned: bigint('lifetime_earned', { mode: 'number' }).notNull().default(0),
    lifetimeRedeemed: bigint('lifetime_redeemed', { mode: 'number' }).notNull().default(0),
    lifetimeExpired: bigint('lifetime_expired', { mode: 'number' }).notNull().default(0),
    /** Bumped by every posting: a write guarded by the version it read cannot lose a concurrent one. */
    version: integer('version').notNull().default(0),
    lastActivityAt: ts('last_activity_at'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    erasedAt: ts('erased_at'),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.id] }),
    // Issue 15 (docs/operations.md, "Query plans on a new database"): partial, so that only a statement naming the
    // column can use the index. customer_id is NOT NULL, so every row is in this one: the same unique constraint
    // (ON CONFLICT names it with its WHERE), and a lookup by id can only be planned on the primary key.
    uniqueIndex('members_shop_customer').on(t.shopId, t.customerId).where(sql`${t.customerId} IS NOT NULL`),
    index('members_shop_email').on(t.shopId, t.email).where(sql`${t.email} IS NOT NULL`),
    // D11: the birthdays job reads each shop's members born on a month and day.
    index('members_birthday')
      .on(t.shopId, sql`extract(month from ${t.birthday})`, sql`extract(day from ${t.birthday})`)
      .where(sql`${t.birthday} IS NOT NULL`),
    index('members_tier_review').on(t.shopId, t.tierReviewAt).where(sql`${t.tierReviewAt} IS NOT NULL`),
    check('members_pending_nonnegative', sql`${t.pending} >= 0`),
    check('members_held_nonnegative', sql`${t.held} >= 0`),
  ],
);
