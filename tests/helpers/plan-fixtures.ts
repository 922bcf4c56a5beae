import type pg from 'pg';
import type { Db } from '../../services/db/client.ts';
import { query, sql } from '../../services/db/sql.ts';
import type { InboundEvent } from '../../services/core/events/inbound-event-repo.ts';
import { tryPost, type Posting } from '../../services/core/ledger/posting.ts';
import { heldRows } from '../../services/core/redemptions/redemption-repo.ts';
import { findMember, insertMember } from '../../services/core/members/member-repo.ts';
import { normaliseProfile } from '../../services/core/members/member-rules.ts';
import type { Member } from '../../services/core/members/member-types.ts';
import { openOrderEvent } from '../../services/core/orders/order-event-repo.ts';
import { newOrder } from '../../services/core/orders/order-rules.ts';
import type { OrderData, OrderRecord } from '../../services/core/orders/order-types.ts';

/**
 * A shop on its first minute, as tests/integration/plans.test.ts plans the service's statements against it: a few
 * members with lots and holds, a few orders, written through the service's own statements; and the same shop
 * grown in bulk by SQL, never analyzed.
 */

export const AT = new Date('2026-11-20T12:00:00Z');
/** Runs per statement: five custom plans, the sixth switches to a generic one, the seventh runs it. */
export const RUNS = 7;

export function storefrontEvent(id: string, type = 'order.placed'): InboundEvent {
  return { eventId: id, type, occurredAt: AT, receivedAt: AT };
}

export function orderData(id: string, customerId: string): OrderData {
  return {
    id, number: id, status: 'processing', customer: { id: customerId, email: `${customerId}@example.com` }, currency: 'PLN',
    lines: [{ id: '1', quantity: 1, unitPrice: 10_000, total: 10_000, discount: 0 }], subtotal: 10_000, discount: 0,
    shipping: 0, tax: 0, total: 10_000, pointsRedeemed: null, placedAt: AT.toISOString(),
  };
}

/** A new order of the member, awarded `points` pending (what the lock-free award writes). */
export function awardedOrder(shopId: string, id: string, member: Member, points: number): OrderRecord {
  return {
    ...newOrder(shopId, orderData(id, member.customerId), 'processing', AT, AT),
    memberId: member.id, awardStatus: 'pending', awardPoints: points, awardEligible: 10_000, awardedAt: AT,
    awardAvailableAt: new Date(AT.getTime() + 14 * 86_400_000), awardLines: [], awardRules: [], awardOrderTotal: 10_000,
  };
}

export async function member(db: Db, shopId: string, customerId: string): Promise<Member> {
  return (await findMember(db, shopId, customerId))!;
}

/** One posting for the member as it is now, written through the service's posting statement. */
export async function postNow(db: Db, shopId: string, customerId: string, posting: Omit<Posting, 'actor'>): Promise<void> {
  const posted = await tryPost(db, await member(db, shopId, customerId), { actor: 'test', ...posting }, AT, []);
  if (!posted) throw new Error(`posting for ${customerId} missed`);
}

export function hold(id: string, customerId: string, points: number, cartId: string | null = null) {
  return heldRows({ id, customerId, cartId, points, amount: points, currency: 'PLN', expiresAt: new Date(AT.getTime() + 3_600_000) });
}

/**
 * The first minute: c0 with one large lot, c1 with forty lots of a point (a debit of two takes two lots; more
 * than a page of lots), c2 with holds to commit (and one of a cart), c3 with orders it placed.
 */
export async function seedShop(db: Db, shopId: string, holds: number): Promise<void> {
  await query(db, sql`INSERT INTO shops (id, name, currency) VALUES (${shopId}, 'Plans', 'PLN')`);
  for (const customerId of ['c0', 'c1', 'c2', 'c3']) {
    const profile = normaliseProfile({ email: `${customerId}@example.com` });
    await insertMember(db, { shopId, id: `mem_${customerId}`, customerId, profile, now: AT }, 'keep');
  }
  const credit = (points: number) => ({ move: { kind: 'adjust', from: null, to: 'available', points } as const });
  await postNow(db, shopId, 'c0', credit(100_000));
  for (let i = 0; i < 40; i++) await postNow(db, shopId, 'c1', credit(1));
  await postNow(db, shopId, 'c2', credit(1_000));
  for (let i = 0; i < holds; i++) {
    const redemptionId = `red_${i}`;
    await postNow(db, shopId, 'c2', { move: { kind: 'hold', from: 'available', to: 'held', points: 2 }, redemptionId, attach: hold(redemptionId, 'c2', 2) });
  }
  await postNow(db, shopId, 'c2', { move: { kind: 'hold', from: 'available', to: 'held', points: 1 }, redemptionId: 'red_cart', attach: hold('red_cart', 'c2', 1, 'cart-1') });
  for (let i = 0; i < 20; i++) {
    await openOrderEvent(db, shopId, storefrontEvent(`ev-${i}`), newOrder(shopId, orderData(`o-${i}`, 'c3'), 'processing', AT, AT));
  }
}

/**
 * The shop grown to `count` members, each with a lot (an adjustment's entry, lot and movement: a consistent ledger),
 * an order and its event, and a spent redemption, in set-based SQL and without ANALYZE: what a shop has after an
 * import or a few busy days on a server whose autovacuum has not looked yet (or, here, never will).
 */
export async function growShop(client: pg.Client, shopId: string, count: number): Promise<void> {
  const params = [shopId, AT, count];
  const each = 'FROM generate_series(1, $3::int) n';
  await client.query(`INSERT INTO members (shop_id, id, customer_id, email, available, lifetime_earned, created_at, updated_at)
    SELECT $1, 'mem_g' || n, 'g' || n, 'g' || n || '@example.com', 10, 10, $2, $2 ${each}`, params);
  await client.query(`INSERT INTO ledger_entries (shop_id, id, member_id, kind, to_bucket, points, actor, lot_id, created_at)
    SELECT $1, 'ent_g' || n, 'mem_g' || n, 'adjust', 'available', 10, 'test', 'lot_g' || n, $2 ${each}`, params);
  await client.query(`INSERT INTO lots (shop_id, id, member_id, entry_id, amount, remaining, created_at)
    SELECT $1, 'lot_g' || n, 'mem_g' || n, 'ent_g' || n, 10, 10, $2 ${each}`, params);
  await client.query(`INSERT INTO lot_movements (shop_id, member_id, lot_id, entry_id, points)
    SELECT $1, 'mem_g' || n, 'lot_g' || n, 'ent_g' || n, 10 FROM generate_series(1, $2::int) n`, [shopId, count]);
  await client.query(`INSERT INTO orders (shop_id, order_id, customer_id, member_id, status, status_at, currency, data, created_at, updated_at)
    SELECT $1, 'og-' || n, 'g' || n, 'mem_g' || n, 'completed', $2, 'PLN', '{}', $2, $2 ${each}`, params);
  await client.query(`INSERT INTO inbound_events (shop_id, event_id, type, occurred_at, received_at, status, order_id)
    SELECT $1, 'evg-' || n, 'order.completed', $2, $2, 'applied', 'og-' || n ${each}`, params);
  await client.query(`INSERT INTO redemptions (shop_id, id, member_id, customer_id, points, amount, currency, status, expires_at, created_at, updated_at)
    SELECT $1, 'red_g' || n, 'mem_g' || n, 'g' || n, 1, 1, 'PLN', 'released', $2, $2, $2 ${each}`, params);
}
