import { param, query, sql, type Fragment } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';
import { insertEvent, type InboundEvent } from '../events/inbound-event-repo.ts';
import type { Attachment } from '../ledger/posting-types.ts';
import type { Member } from '../members/member-types.ts';
import { insertOrder, lockOrder, updateOrderFromVersion } from './order-repo.ts';
import type { OrderRecord } from './order-types.ts';

/**
 * The statements of an order event, composed of the inbound-event and order repositories' parts: the locked
 * path's first statement, and the rows a lock-free posting of an order seen before writes under its guard (the
 * lock-free read and the batched award writes are order-batch-repo.ts's).
 */

/**
 * Opens an order event in one round trip: records the event's id and, if the id is new, the order's row (`order`
 * as its first event describes it), created if Lojal has not seen the order or else locked for the transaction,
 * so that every event of one order is applied one at a time (D3). `fresh` false: the event id was seen before,
 * and nothing was written.
 */
export async function openOrderEvent(
  tx: Executor,
  shopId: string,
  event: InboundEvent,
  order: OrderRecord,
): Promise<{ fresh: false } | { fresh: true; order: OrderRecord; created: boolean }> {
  const rows = await query<{ fresh: boolean; created: boolean }>(tx, openOrderEventStatement(shopId, event, order));
  const row = rows[0]!;
  if (!row.fresh) return { fresh: false };
  if (row.created) return { fresh: true, order, created: true };
  // The order was there before (or arrived after this statement's snapshot): wait for it and lock it.
  const existing = await lockOrder(tx, shopId, order.orderId);
  if (!existing) throw new Error(`order ${order.orderId} is neither new nor present`);
  return { fresh: true, order: existing, created: false };
}

export function openOrderEventStatement(shopId: string, event: InboundEvent, order: OrderRecord): Fragment {
  const shop = param(shopId);
  return sql`
    WITH ${insertEvent(shop, event, order.orderId, sql``)}, created AS (${insertOrder(shop, order)}
       WHERE EXISTS (SELECT 1 FROM ev)
      ON CONFLICT DO NOTHING
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM ev) AS fresh, EXISTS (SELECT 1 FROM created) AS created`;
}

/**
 * What an order event finds, read without a lock (the lock-free path's read, many at once: order-batch-repo.ts
 * orderEventSnapshots).
 */
export interface OrderEventSnapshot {
  /** The event id was applied before. */
  seen: boolean;
  order: OrderRecord | null;
  member: Member | null;
}

/**
 * The rows an order event's posting also writes: the event, and the order inserted (`readVersion` null) or updated
 * from the version it was read at. An event id or order that another command wrote meanwhile fails the whole
 * statement with LJ001 (the caller then applies the event under locks).
 */
export function orderEventRows(event: InboundEvent, order: OrderRecord, readVersion: number | null): Attachment {
  return ({ shop }) => {
    const written = readVersion === null
      ? sql`${insertOrder(shop, order)} FROM member
    ON CONFLICT DO NOTHING
    RETURNING 1`
      : sql`${updateOrderFromVersion(shop, order, readVersion)}
       AND EXISTS (SELECT 1 FROM member)
    RETURNING 1`;
    return {
      ctes: [insertEvent(shop, event, order.orderId, sql`FROM member`), sql`
  ord AS (${written}
  )`],
      allOrNothing: sql`EXISTS (SELECT 1 FROM ev) AND EXISTS (SELECT 1 FROM ord)`,
    };
  };
}
