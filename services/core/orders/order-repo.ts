import { dateOrNull, empty, fragment, param, query, raw, sql, unnestRows, type Fragment } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';
import type { OrderData, OrderRecord } from './order-types.ts';

/** The orders table: each order Lojal has seen, with its award and what became of it (D3, D4, D5, D6). */

export async function findOrder(tx: Executor, shopId: string, orderId: string): Promise<OrderRecord | null> {
  const rows = await query(tx, sql`SELECT * FROM orders WHERE shop_id = ${shopId} AND order_id = ${orderId}`);
  return rows[0] ? orderFromRow(rows[0]) : null;
}

/** Locks the order: every event of one order is applied one at a time (D3). */
export async function lockOrder(tx: Executor, shopId: string, orderId: string): Promise<OrderRecord | null> {
  const rows = await query(tx, sql`SELECT * FROM orders WHERE shop_id = ${shopId} AND order_id = ${orderId} FOR UPDATE`);
  return rows[0] ? orderFromRow(rows[0]) : null;
}

export async function saveOrder(tx: Executor, order: OrderRecord): Promise<void> {
  await query(tx, sql`UPDATE orders SET ${assignments(order)}, version = version + 1
   WHERE shop_id = ${order.shopId} AND order_id = ${order.orderId}`);
}

/** Pending awards due by `asOf`, oldest first, a chunk at a time (D3). */
export async function dueAwards(tx: Executor, shopId: string | null, asOf: Date, limit: number): Promise<{ shopId: string; orderId: string }[]> {
  const shop = shopId === null ? sql`` : sql`AND shop_id = ${shopId}`;
  return query(tx, sql`
    SELECT shop_id AS "shopId", order_id AS "orderId" FROM orders
     WHERE award_status = 'pending' AND award_available_at <= ${param(asOf, 'timestamptz')} ${shop}
     ORDER BY award_available_at LIMIT ${limit}`);
}

/**
 * What `mature` would do by `asOf` (its dry run): the due awards a run takes (`limit`, the run's bound) and the
 * points they bring, counted in one statement.
 */
export async function countDueAwards(tx: Executor, shopId: string | null, asOf: Date, limit: number): Promise<{ matured: number; points: number }> {
  const shop = shopId === null ? sql`` : sql`AND shop_id = ${shopId}`;
  const rows = await query<{ matured: number | string; points: number | string }>(tx, sql`
    SELECT count(*) AS matured, coalesce(sum(points), 0)::bigint AS points FROM (
      SELECT award_points - reversed_points AS points FROM orders
       WHERE award_status = 'pending' AND award_available_at <= ${param(asOf, 'timestamptz')} ${shop}
       ORDER BY award_available_at LIMIT ${limit}) due`);
  return { matured: Number(rows[0]!.matured), points: Number(rows[0]!.points) };
}

/** D10: guest orders waiting for a member with this e-mail, oldest first. */
export async function unclaimedOrders(tx: Executor, shopId: string, email: string): Promise<string[]> {
  const rows = await query<{ order_id: string }>(tx, sql`
    SELECT order_id FROM orders WHERE shop_id = ${shopId} AND member_id IS NULL AND guest_email = ${email} ORDER BY created_at`);
  return rows.map((r) => r.order_id);
}

/**
 * D19: the member's orders for its export, oldest first: those it owns, and the guest orders of its e-mail when it
 * is verified (they are the member's by D10 until claimed).
 */
export async function memberOrders(tx: Executor, shopId: string, member: { id: string; email: string | null; emailVerified: boolean }): Promise<OrderRecord[]> {
  const email = member.emailVerified ? member.email : null;
  const rows = await query(tx, sql`
    SELECT * FROM orders
     WHERE shop_id = ${shopId} AND (member_id = ${member.id} OR (member_id IS NULL AND guest_email = ${param(email, 'text')}))
     ORDER BY created_at, order_id`);
  return rows.map(orderFromRow);
}

/** Whether the member has an award on any other order than `orderId` (D12 firstOrder); null: on any order (a quote). */
export async function hasEarlierAward(tx: Executor, shopId: string, memberId: string, orderId: string | null): Promise<boolean> {
  const other = orderId === null ? empty : sql`AND order_id <> ${orderId}`;
  const rows = await query(tx, sql`
    SELECT 1 FROM orders
     WHERE shop_id = ${shopId} AND member_id = ${memberId} ${other} AND award_status IS NOT NULL LIMIT 1`);
  return rows.length > 0;
}

/**
 * D19: the member's orders lose what named the customer: the customer id becomes the member's pseudonym, the
 * guest e-mail and the customer in the stored payload go. A verified e-mail's guest orders are the member's too
 * (D10), so they lose the e-mail. The version moves, so no write planned before the erasure lands on the row.
 */
export async function eraseCustomer(
  tx: Executor,
  shopId: string,
  member: { id: string; email: string | null; emailVerified: boolean },
  pseudonym: string,
  now: Date,
): Promise<void> {
  const scrub = sql`guest_email = NULL, data = jsonb_set(data, '{customer}', 'null'), version = version + 1,
    updated_at = ${param(now, 'timestamptz')}`;
  await query(tx, sql`
    UPDATE orders SET customer_id = ${pseudonym}, ${scrub} WHERE shop_id = ${shopId} AND member_id = ${member.id}`);
  if (!member.email || !member.emailVerified) return;
  await query(tx, sql`
    UPDATE orders SET ${scrub} WHERE shop_id = ${shopId} AND member_id IS NULL AND guest_email = ${member.email}`);
}

/**
 * The order's columns as statements write them, with their parameter types: one list for the insert, the save
 * and the guarded update.
 */
const COLUMNS: [string, string, (o: OrderRecord) => unknown][] = [
  ['number', 'text', (o) => o.number], ['customer_id', 'text', (o) => o.customerId], ['member_id', 'text', (o) => o.memberId],
  ['guest_email', 'text', (o) => o.guestEmail], ['status', 'text', (o) => o.status], ['status_at', 'timestamptz', (o) => o.statusAt],
  ['cancelled_at', 'timestamptz', (o) => o.cancelledAt], ['currency', 'text', (o) => o.currency],
  ['exchange_rate', 'text', (o) => o.exchangeRate], ['data', 'jsonb', storedData],
  ['award_status', 'text', (o) => o.awardStatus], ['award_points', 'bigint', (o) => o.awardPoints],
  ['award_eligible', 'bigint', (o) => o.awardEligible], ['awarded_at', 'timestamptz', (o) => o.awardedAt],
  ['award_available_at', 'timestamptz', (o) => o.awardAvailableAt], ['award_lines', 'jsonb', (o) => json(o.awardLines)],
  ['award_rules', 'jsonb', (o) => json(o.awardRules)], ['award_order_total', 'bigint', (o) => o.awardOrderTotal],
  ['refund_count', 'int', (o) => o.refundCount], ['reversed_points', 'bigint', (o) => o.reversedPoints],
  ['written_off_points', 'bigint', (o) => o.writtenOffPoints], ['redemption_id', 'text', (o) => o.redemptionId],
  ['redemption_status', 'text', (o) => o.redemptionStatus], ['updated_at', 'timestamptz', (o) => o.updatedAt],
];

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

/**
 * D19: the payload is kept without its customer: the customer id and a guest's e-mail have columns of their own,
 * and nothing reads the profile back, so an order never keeps a copy of it (nor gets one back from an event that
 * arrives after the member was erased).
 */
function storedData(o: OrderRecord): string {
  return JSON.stringify({ ...o.data, customer: null });
}

const COLUMN_LIST = raw(COLUMNS.map(([column]) => column).join(', '));
/** The text around the columns' values, made once: `$1, $2, …` and `number = $1, customer_id = $2, …`. */
const VALUE_LIST = Object.freeze(['', ...COLUMNS.slice(1).map(() => ', '), '']);
const ASSIGNMENTS = Object.freeze([`${COLUMNS[0]![0]} = `, ...COLUMNS.slice(1).map(([column]) => `, ${column} = `), '']);

/** The order's value of every column, as typed parameters in COLUMNS order. */
const columnValues = (o: OrderRecord) => COLUMNS.map(([, type, value]) => param(value(o), type));

/** `column = $n::type, …`: every column set to the order's value. */
function assignments(o: OrderRecord): Fragment {
  return fragment(ASSIGNMENTS, columnValues(o));
}

/** `INSERT INTO orders … SELECT` of the order's row; the caller adds FROM, WHERE and conflict clauses. */
export function insertOrder(shop: unknown, o: OrderRecord): Fragment {
  const columns = COLUMN_LIST;
  const values = fragment(VALUE_LIST, columnValues(o));
  return sql`
    INSERT INTO orders (shop_id, order_id, ${columns}, created_at)
    SELECT ${shop}, ${param(o.orderId, 'text')}, ${values}, ${param(o.createdAt, 'timestamptz')}`;
}

/** The columns of many orders' rows, as `unnest` takes them (insertOrders). */
const ROW_COLUMNS: readonly (readonly [string, string])[] = [
  ['shop_id', 'text'], ['order_id', 'text'], ...COLUMNS.map(([column, type]) => [column, type] as const), ['created_at', 'timestamptz'],
];
const ROW_COLUMN_LIST = raw(ROW_COLUMNS.map(([column]) => column).join(', '));

/**
 * `INSERT INTO orders` of many orders in one statement, each only where `guard` (a join on the rows as `o`) keeps
 * it; one already there is left alone (ON CONFLICT DO NOTHING). RETURNING 1 per row inserted.
 */
export function insertOrders(orders: OrderRecord[], guard: Fragment): Fragment {
  const values = [orders.map((o) => o.shopId), orders.map((o) => o.orderId), ...COLUMNS.map(([, , value]) => orders.map(value)), orders.map((o) => o.createdAt)];
  return sql`
    INSERT INTO orders (${ROW_COLUMN_LIST})
    SELECT o.* FROM ${unnestRows('o', ROW_COLUMNS, values)} ${guard}
    ON CONFLICT DO NOTHING
    RETURNING 1`;
}

/** Updates the order only if it still has the version it was read at (a write planned without its lock). */
export function updateOrderFromVersion(shop: unknown, o: OrderRecord, readVersion: number): Fragment {
  return sql`
    UPDATE orders SET ${assignments(o)}, version = version + 1
     WHERE shop_id = ${shop} AND order_id = ${o.orderId} AND version = ${readVersion}`;
}

/** The order with this id as a JSON object (null if none), for reads that join the order's other rows. */
export function orderJson(shop: unknown, orderId: unknown): Fragment {
  return sql`(SELECT row_to_json(o) FROM orders o WHERE o.shop_id = ${shop} AND o.order_id = ${orderId})`;
}

/** An order row as PostgreSQL returns it (snake_case; dates as Date, or as text from row_to_json): the one mapper. */
export function orderFromRow(r: Record<string, unknown>): OrderRecord {
  return {
    shopId: r.shop_id as string,
    orderId: r.order_id as string,
    number: r.number as string | null,
    customerId: r.customer_id as string | null,
    memberId: r.member_id as string | null,
    guestEmail: r.guest_email as string | null,
    status: r.status as string,
    statusAt: dateOrNull(r.status_at)!,
    cancelledAt: dateOrNull(r.cancelled_at),
    currency: r.currency as string,
    exchangeRate: r.exchange_rate as string | null,
    data: r.data as OrderData,
    awardStatus: r.award_status as OrderRecord['awardStatus'],
    awardPoints: r.award_points as number | null,
    awardEligible: r.award_eligible as number | null,
    awardedAt: dateOrNull(r.awarded_at),
    awardAvailableAt: dateOrNull(r.award_available_at),
    awardLines: r.award_lines as OrderRecord['awardLines'],
    awardRules: r.award_rules as OrderRecord['awardRules'],
    awardOrderTotal: r.award_order_total as number | null,
    refundCount: r.refund_count as number,
    reversedPoints: r.reversed_points as number,
    writtenOffPoints: r.written_off_points as number,
    redemptionId: r.redemption_id as string | null,
    redemptionStatus: r.redemption_status as string | null,
    version: r.version as number,
    createdAt: dateOrNull(r.created_at)!,
    updatedAt: dateOrNull(r.updated_at)!,
  };
}
