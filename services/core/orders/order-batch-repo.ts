import { query, raw, sql, unnestRows, type Fragment } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';
import { eventSeen, insertEvents, type InboundEvent } from '../events/inbound-event-repo.ts';
import { insertEntries } from '../ledger/entry-repo.ts';
import type { Entry } from '../ledger/ledger-types.ts';
import type { PostingWrite } from '../ledger/posting-types.ts';
import { balanceWrites, memberByCustomer, memberFromRow } from '../members/member-repo.ts';
import type { Profile } from '../members/member-types.ts';
import { entryEvents } from '../outbox/outbox-repo.ts';
import { ENTRY_EVENTS } from '../outbox/outbox-types.ts';
import type { OrderEventSnapshot } from './order-event-repo.ts';
import { insertOrders, orderFromRow, orderJson } from './order-repo.ts';
import type { OrderRecord } from './order-types.ts';

/**
 * The order events' lock-free statements for many events at once (group commit, order-award-batch.ts): one read
 * of every event's snapshot, and one write of every award planned on them. Each event's rows are written only if
 * its own guard holds (its member's version unchanged, or its new member still absent); the others are left out,
 * and the caller sends them the locked way. Both are named statements like any other, and their plans hold from a
 * new database on (tests/integration/plans.test.ts): every table is reached by its key, row by row (the read's
 * correlated sub-selects, the write's lojal_balance_write and ON CONFLICT arbiters), never by a join a plan could
 * make a hash of the whole table.
 */

export interface SnapshotKey {
  shopId: string;
  eventId: string;
  orderId: string;
  customerId: string;
}

/** Each event's snapshot, in one round trip, in the order of `keys`. */
export async function orderEventSnapshots(executor: Executor, keys: SnapshotKey[]): Promise<OrderEventSnapshot[]> {
  const rows = await query(executor, orderEventSnapshotsStatement(keys));
  return rows.map((row) => ({
    seen: row.seen as boolean,
    order: row.ord ? orderFromRow(row.ord as Record<string, unknown>) : null,
    member: row.member ? memberFromRow(row.member as Record<string, unknown>) : null,
  }));
}

export function orderEventSnapshotsStatement(keys: SnapshotKey[]): Fragment {
  const shop = raw('i.shop_id');
  return sql`
    SELECT ${eventSeen(shop, raw('i.event_id'))} AS seen, ${orderJson(shop, raw('i.order_id'))} AS ord,
           (SELECT row_to_json(m) FROM ${memberByCustomer(shop, raw('i.customer_id'))}) AS member
      FROM ${unnestRows('i', KEY_COLUMNS, [keys.map((k) => k.shopId), keys.map((k) => k.eventId), keys.map((k) => k.orderId), keys.map((k) => k.customerId)], 'n')}
     ORDER BY i.n`;
}

const KEY_COLUMNS = [['shop_id', 'text'], ['event_id', 'text'], ['order_id', 'text'], ['customer_id', 'text']] as const;

/** One event's award, planned lock-free: its posting (no lots: an award goes to pending), event and new order. */
export interface AwardWrite {
  shopId: string;
  posting: PostingWrite;
  event: InboundEvent;
  order: OrderRecord;
  /** A member Lojal has not seen: inserted with the award's balances (its row absent is the guard). */
  newMember: { customerId: string; profile: Profile } | null;
}

/** The columns of an award's row in the write's `i`, with their values. */
const AWARD_COLUMNS: [string, string, (a: AwardWrite) => unknown][] = [
  ['shop_id', 'text', (a) => a.shopId], ['member_id', 'text', (a) => a.posting.member.id],
  ['read_version', 'int', (a) => (a.newMember ? null : a.posting.member.version)],
  ['customer_id', 'text', (a) => a.newMember?.customerId ?? null], ['email', 'text', (a) => a.newMember?.profile.email ?? null],
  ['email_verified', 'boolean', (a) => a.newMember?.profile.emailVerified ?? false],
  ['first_name', 'text', (a) => a.newMember?.profile.firstName ?? null], ['last_name', 'text', (a) => a.newMember?.profile.lastName ?? null],
  ['locale', 'text', (a) => a.newMember?.profile.locale ?? 'en'], ['birthday', 'date', (a) => a.newMember?.profile.birthday ?? null],
  ['marketing_consent', 'boolean', (a) => a.newMember?.profile.marketingConsent ?? false], ['referred_by', 'text', () => null],
  ['pending', 'bigint', (a) => a.posting.member.pending], ['available', 'bigint', (a) => a.posting.member.available],
  ['held', 'bigint', (a) => a.posting.member.held], ['earned', 'bigint', (a) => a.posting.member.earned],
  ['redeemed', 'bigint', (a) => a.posting.member.redeemed], ['expired', 'bigint', (a) => a.posting.member.expired],
  ['last_activity_at', 'timestamptz', (a) => a.posting.member.lastActivityAt],
  ...entryColumns([
    ['entry_id', 'text', (e) => e.id], ['kind', 'text', (e) => e.kind], ['from_bucket', 'text', (e) => e.fromBucket],
    ['to_bucket', 'text', (e) => e.toBucket], ['points', 'bigint', (e) => e.points], ['order_id', 'text', (e) => e.orderId ?? null],
    ['actor', 'text', (e) => e.actor], ['exchange_rate', 'text', (e) => e.exchangeRate ?? null],
    ['metadata', 'jsonb', (e) => (e.metadata ? JSON.stringify(e.metadata) : null)], ['at', 'timestamptz', (e) => e.createdAt],
    ['entry_event', 'text', (e) => ENTRY_EVENTS[e.kind]],
  ]),
  ['event_id', 'text', (a) => a.event.eventId], ['event_type', 'text', (a) => a.event.type],
  ['occurred_at', 'timestamptz', (a) => a.event.occurredAt], ['received_at', 'timestamptz', (a) => a.event.receivedAt],
];

function entryColumns(columns: [string, string, (e: Entry) => unknown][]): [string, string, (a: AwardWrite) => unknown][] {
  return columns.map(([name, type, value]) => [name, type, (a: AwardWrite) => value(a.posting.entry)]);
}

const AWARD_UNNEST = AWARD_COLUMNS.map(([name, type]) => [name, type] as const);

/**
 * Writes every award whose guard holds, in one statement: the member's balances (updated from the version read,
 * or a new member inserted with them, raising member.created), the entry with its outbox row (D16), the event id
 * and the order. Returns the seq of each award written, by entry id. An event id or order that another command
 * wrote meanwhile fails the whole statement with LJ001: group commit then writes each award alone, and only the
 * one that fails alone goes the locked way.
 */
export async function writeAwards(executor: Executor, awards: AwardWrite[]): Promise<Map<string, number>> {
  const rows = await query<{ id: string; seq: number }>(executor, writeAwardsStatement(awards));
  return new Map(rows.map((r) => [r.id, Number(r.seq)]));
}

export function writeAwardsStatement(awards: AwardWrite[]): Fragment {
  return sql`
    WITH w0 AS (SELECT * FROM ${unnestRows('w0', AWARD_UNNEST, AWARD_COLUMNS.map(([, , value]) => awards.map(value)))}),
    ${balanceWrites()},
    w AS (SELECT w0.* FROM w0 JOIN member ON member.shop_id = w0.shop_id AND member.id = w0.member_id),
    ${insertEntries()},
    ${entryEvents()},
    ${insertEvents()},
    ord AS (${insertOrders(awards.map((a) => a.order), sql`JOIN member ON member.shop_id = o.shop_id AND member.id = o.member_id`)})
    SELECT entry.id, entry.seq,
           lojal_all_or_nothing((SELECT count(*) FROM ev) = (SELECT count(*) FROM w) AND (SELECT count(*) FROM ord) = (SELECT count(*) FROM w)) AS held
      FROM entry`;
}
