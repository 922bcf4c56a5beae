import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The append-only ledger (D13): each entry moves `points` (> 0) from one bucket to another; a null side is the
 * outside world (an earn comes from it, an expiry goes to it). Nothing updates or deletes an entry.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    shopId: text('shop_id').notNull(),
    id: text('id').notNull(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    memberId: text('member_id').notNull(),
    kind: text('kind').notNull(),
    fromBucket: text('from_bucket'),
    toBucket: text('to_bucket'),
    points: bigint('points', { mode: 'number' }).notNull(),
    orderId: text('order_id'),
    refundId: text('refund_id'),
    redemptionId: text('redemption_id'),
    reference: text('reference'),
    reason: text('reason'),
    actor: text('actor').notNull(),
    lotId: text('lot_id'),
    expiresAt: ts('expires_at'),
    correctsEntryId: text('corrects_entry_id'),
    exchangeRate: text('exchange_rate'),
    metadata: jsonb('metadata'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.id] }),
    // Partial on a column that is never null (so it holds every entry): only statements that name member_id can
    // use it, and a lookup of an entry by its id has the primary key alone (docs/operations.md, query plans).
    index('ledger_entries_member_seq').on(t.shopId, t.memberId, t.seq).where(sql`${t.memberId} IS NOT NULL`),
    // D6: a redemption's earlier restores, read before each new one; only restore entries are indexed.
    index('ledger_entries_restores').on(t.shopId, t.redemptionId).where(sql`${t.kind} = 'restore'`),
    // Imports are idempotent per (shop, reference): the last guard when two imports of one reference race. Only
    // import entries are indexed, so the other postings write nothing more.
    uniqueIndex('ledger_entries_imports').on(t.shopId, t.reference).where(sql`${t.kind} = 'import'`),
    check('ledger_entries_points_positive', sql`${t.points} > 0`),
    check(
      'ledger_entries_buckets',
      sql`(${t.fromBucket} IS NULL OR ${t.fromBucket} IN ('pending','available','held'))
        AND (${t.toBucket} IS NULL OR ${t.toBucket} IN ('pending','available','held'))
        AND (${t.fromBucket} IS DISTINCT FROM ${t.toBucket} OR ${t.kind} = 'writeoff')`,
    ),
  ],
);

/** Each credit to `available` is a lot; debits consume lots soonest-expiring first (D6, D8, D13). */
export const lots = pgTable(
  'lots',
  {
    shopId: text('shop_id').notNull(),
    id: text('id').notNull(),
    memberId: text('member_id').notNull(),
    entryId: text('entry_id').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    remaining: bigint('remaining', { mode: 'number' }).notNull(),
    expiresAt: ts('expires_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.id] }),
    // Consumption order (D6): soonest-expiring first, no expiry last, then age and id; open lots only.
    index('lots_member_open')
      .on(t.shopId, t.memberId, sql`coalesce(${t.expiresAt}, 'infinity')`, t.createdAt, t.id)
      .where(sql`${t.remaining} > 0`),
    index('lots_expiring').on(t.shopId, t.expiresAt).where(sql`${t.remaining} > 0 AND ${t.expiresAt} IS NOT NULL`),
    check('lots_amount_positive', sql`${t.amount} > 0`),
    check('lots_remaining_range', sql`${t.remaining} >= 0 AND ${t.remaining} <= ${t.amount}`),
  ],
);

/**
 * Every change to a lot's remainder, with the entry that made it: the creation (+), consumptions (−) and
 * restores (+). A restore can put points back into the very lots they came from.
 */
export const lotMovements = pgTable(
  'lot_movements',
  {
    shopId: text('shop_id').notNull(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    memberId: text('member_id').notNull(),
    lotId: text('lot_id').notNull(),
    entryId: text('entry_id').notNull(),
    points: bigint('points', { mode: 'number' }).notNull(),
  },
  (t) => [
    // Keyed by lot, so the key also serves "the movements of a lot": one index less to write per movement.
    primaryKey({ columns: [t.shopId, t.lotId, t.id] }),
    index('lot_movements_entry').on(t.shopId, t.entryId),
    check('lot_movements_points_nonzero', sql`${t.points} <> 0`),
  ],
);

/** D15: a mutating request's key, the hash of the request and the response it got, kept at least 24 h. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    shopId: text('shop_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code').notNull(),
    contentType: text('content_type'),
    body: text('body').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.key] }),
    index('idempotency_keys_expiry').on(t.expiresAt),
  ],
);

