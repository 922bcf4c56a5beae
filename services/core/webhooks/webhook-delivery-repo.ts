import { empty, execute, param, query, sql } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';

/**
 * The webhook_deliveries table (D16): one row per shop and event, claimed by a lease (`next_attempt_at` moved past
 * the attempt's end) so that two runners never send the same delivery at once, then updated with the outcome.
 */

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** A delivery claimed for an attempt, with the shop's endpoint as it is now. */
export interface ClaimedDelivery {
  shopId: string;
  id: string;
  eventId: string;
  eventType: string;
  body: string;
  /** Attempts made before this one. */
  attempts: number;
  url: string | null;
  enabled: boolean;
}

export interface NewDelivery {
  shopId: string;
  id: string;
  eventId: string;
  eventType: string;
  memberId: string | null;
  body: string;
  createdAt: Date;
  /** The lease of the first attempt, made at once by whoever inserted the row. */
  leaseUntil: Date;
}

/** Inserts the event's delivery unless the shop has one for that event; true when this call inserted it. */
export async function insertDelivery(tx: Executor, d: NewDelivery): Promise<boolean> {
  const rows = await query(tx, sql`
    INSERT INTO webhook_deliveries (shop_id, id, event_id, event_type, member_id, body, status, attempts, next_attempt_at, created_at)
    VALUES (${d.shopId}, ${d.id}, ${d.eventId}, ${d.eventType}, ${param(d.memberId, 'text')}, ${d.body}, 'pending', 0, ${d.leaseUntil}, ${d.createdAt})
    ON CONFLICT (shop_id, event_id) DO NOTHING
    RETURNING id`);
  return rows.length === 1;
}

/**
 * Whether the shop's endpoint is failing now: a delivery waits for a retry. A new event's delivery then waits for
 * the `webhooks` job too (fair between shops) instead of tying up an event handler for the attempt's timeout.
 */
export async function isFailing(tx: Executor, shopId: string): Promise<boolean> {
  const rows = await query(tx, sql`
    SELECT 1 FROM webhook_deliveries WHERE shop_id = ${shopId} AND status = 'pending' AND attempts > 0 LIMIT 1`);
  return rows.length > 0;
}

/**
 * D19: the erased member's customer id leaves every stored body (each event names it once, as `customerId`); the
 * deliveries themselves stay, for the shop's audit of what was sent.
 */
export async function eraseCustomer(tx: Executor, shopId: string, memberId: string, customerId: string): Promise<void> {
  await execute(tx, sql`
    UPDATE webhook_deliveries
       SET body = replace(body, '"customerId":' || to_json(${param(customerId, 'text')})::text, '"customerId":null')
     WHERE shop_id = ${shopId} AND member_id = ${memberId}`);
}

export interface ClaimLimits {
  shopId: string | null;
  asOf: Date;
  limit: number;
  /** At most this many of one shop per claim: a shop with a backlog leaves room for the others. */
  perShop: number;
  leaseUntil: Date;
}

/**
 * Claims up to `limit` deliveries due at `asOf` (FOR UPDATE SKIP LOCKED: concurrent runners take different rows),
 * the longest waiting first, at most `perShop` of each shop, and leases them until `leaseUntil`.
 */
export async function claimDue(tx: Executor, c: ClaimLimits): Promise<ClaimedDelivery[]> {
  const shop = param(c.shopId, 'text');
  const rows = await query(tx, sql`
    WITH claimed AS (
      SELECT d.shop_id, d.id
        FROM webhook_endpoints e
       CROSS JOIN LATERAL (
             SELECT shop_id, id, next_attempt_at FROM webhook_deliveries
              WHERE shop_id = e.shop_id AND status = 'pending' AND next_attempt_at <= ${c.asOf}
              ORDER BY next_attempt_at, id LIMIT ${c.perShop}
                FOR UPDATE SKIP LOCKED) d
       WHERE ${shop} IS NULL OR e.shop_id = ${shop}
       ORDER BY d.next_attempt_at, d.id
       LIMIT ${c.limit})
    UPDATE webhook_deliveries w SET next_attempt_at = ${c.leaseUntil}
      FROM claimed c, webhook_endpoints e
     WHERE w.shop_id = c.shop_id AND w.id = c.id AND e.shop_id = c.shop_id
    RETURNING w.shop_id, w.id, w.event_id, w.event_type, w.body, w.attempts, e.url, e.enabled`);
  return rows.map((r) => ({
    shopId: r.shop_id as string,
    id: r.id as string,
    eventId: r.event_id as string,
    eventType: r.event_type as string,
    body: r.body as string,
    attempts: Number(r.attempts),
    url: (r.url as string | null) ?? null,
    enabled: r.enabled === true,
  }));
}

/** How many deliveries are due at `asOf` (a dry run's count), up to `limit`. */
export async function countDue(tx: Executor, shopId: string | null, asOf: Date, limit: number): Promise<number> {
  const shop = param(shopId, 'text');
  const rows = await query<{ due: number }>(tx, sql`
    SELECT count(*)::int AS due FROM (
      SELECT 1 FROM webhook_deliveries
       WHERE status = 'pending' AND next_attempt_at <= ${asOf} AND (${shop} IS NULL OR shop_id = ${shop})
       LIMIT ${limit}) d`);
  return rows[0]?.due ?? 0;
}

export interface AttemptOutcome {
  at: Date;
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  statusCode: number | null;
  error: string | null;
}

/**
 * Records an attempt's outcome, only while the delivery is still as claimed (pending, `attempts` attempts before
 * this one): a runner whose lease ran out records nothing. True when recorded.
 */
export async function recordAttempt(tx: Executor, d: ClaimedDelivery, o: AttemptOutcome): Promise<boolean> {
  const done = await execute(tx, sql`
    UPDATE webhook_deliveries
       SET attempts = attempts + 1, last_attempt_at = ${o.at}, status = ${o.status}, next_attempt_at = ${param(o.nextAttemptAt, 'timestamptz')},
           last_status_code = ${param(o.statusCode, 'int')}, last_error = ${param(o.error, 'text')},
           delivered_at = ${param(o.status === 'delivered' ? o.at : null, 'timestamptz')}
     WHERE shop_id = ${d.shopId} AND id = ${d.id} AND status = 'pending' AND attempts = ${d.attempts}`);
  return done === 1;
}

/** The shop's deliveries, newest first, before the `before` id, of one status or all. */
export async function listDeliveries(
  tx: Executor,
  shopId: string,
  { limit, before, status }: { limit: number; before: string | null; status: DeliveryStatus | null },
): Promise<Delivery[]> {
  const rows = await query(tx, sql`
    SELECT id, event_id, event_type, status, attempts, last_attempt_at, next_attempt_at, last_status_code, last_error,
           delivered_at, created_at
      FROM webhook_deliveries
     WHERE shop_id = ${shopId} ${before === null ? empty : sql`AND id < ${before}`} ${status === null ? empty : sql`AND status = ${status}`}
     ORDER BY id DESC
     LIMIT ${limit}`);
  return rows.map(toDelivery);
}

function toDelivery(r: Record<string, unknown>): Delivery {
  return {
    id: r.id as string,
    eventId: r.event_id as string,
    eventType: r.event_type as string,
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    lastAttemptAt: (r.last_attempt_at as Date | null) ?? null,
    nextAttemptAt: (r.next_attempt_at as Date | null) ?? null,
    lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
    lastError: (r.last_error as string | null) ?? null,
    deliveredAt: (r.delivered_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
  };
}

/** Retention: deletes up to `limit` deliveries settled (not pending) and made before `before`; returns how many went. */
export async function purgeSettled(executor: Executor, before: Date, limit: number): Promise<number> {
  return execute(executor, sql`
    DELETE FROM webhook_deliveries WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM webhook_deliveries WHERE status <> 'pending' AND created_at < ${param(before, 'timestamptz')} LIMIT ${param(limit, 'int')}))`);
}
