import { sql } from 'drizzle-orm';
import { bigint, check, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * D9: what counts towards a member's tier, one row per change: an order's award as it matures (+ its points and
 * the money paid for it), a reversal of matured points (− in the same proportion). The qualifying total of a window
 * is the sum of its rows; bonuses, adjustments and imports never qualify. Append-only, like the ledger.
 */
export const tierCredits = pgTable(
  'tier_credits',
  {
    shopId: text('shop_id').notNull(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    memberId: text('member_id').notNull(),
    at: ts('at').notNull(),
    points: bigint('points', { mode: 'number' }).notNull(),
    /** Money in the program's currency, minor units. */
    spend: bigint('spend', { mode: 'number' }).notNull(),
    orderId: text('order_id').notNull(),
    /** The ledger entry that made the change (a maturity or a reversal). */
    entryId: text('entry_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.memberId, t.at, t.id] }),
  ],
);

/** D9: every change of a member's tier, with its reason; `from_tier` null on a member's first tier. */
export const tierHistory = pgTable(
  'tier_history',
  {
    shopId: text('shop_id').notNull(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    memberId: text('member_id').notNull(),
    fromTier: text('from_tier'),
    toTier: text('to_tier').notNull(),
    reason: text('reason').notNull(),
    /** A manual change's words, from the operator. */
    note: text('note'),
    actor: text('actor').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.memberId, t.id] }),
    check('tier_history_reason', sql`${t.reason} IN ('qualified','window_closed','config_changed','manual')`),
  ],
);

/**
 * D11: one row per bonus awarded, keyed by (member, kind, reference): a second award of the same bonus finds the
 * row and awards nothing. `entry_id` is its ledger entry (kind 'bonus').
 */
export const bonuses = pgTable(
  'bonuses',
  {
    shopId: text('shop_id').notNull(),
    memberId: text('member_id').notNull(),
    kind: text('kind').notNull(),
    reference: text('reference').notNull(),
    points: bigint('points', { mode: 'number' }).notNull(),
    entryId: text('entry_id').notNull(),
    actor: text('actor').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.memberId, t.kind, t.reference] }),
    check('bonuses_kind', sql`${t.kind} IN ('signup','birthday','review','referral','feedback','custom')`),
    check('bonuses_points_positive', sql`${t.points} > 0`),
  ],
);
