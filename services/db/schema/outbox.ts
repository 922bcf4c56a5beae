import { bigint, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * D16: domain events waiting for the relay, each written in the same statement or transaction as the change it
 * tells of. The relay moves a batch to BullMQ and deletes it; nothing else reads this table. No index but the key
 * and no foreign key: every posting writes one row here, so it must stay as cheap as a row can be.
 */
export const outbox = pgTable('outbox', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  shopId: text('shop_id').notNull(),
  type: text('type').notNull(),
  memberId: text('member_id'),
  /** The ledger entry a points.* or redemption.* event tells of; its details are read when the event is relayed. */
  entryId: text('entry_id'),
  /** What an event not made of an entry carries (points.expiring, feedback.requested, ...). */
  data: jsonb('data'),
  /** When the change was made (the service's clock, D18): the event's `occurredAt`. */
  occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
  /** When the row was written (the database's clock): the relay's lag is measured from it. */
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
