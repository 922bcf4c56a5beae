import type { Database } from '../../db/client.ts';
import { withTx } from '../../db/tx.ts';
import type { MemberService } from '../members/member-service.ts';
import { referralProblem } from '../members/member-rules.ts';
import type { OrderEvents } from '../orders/order-events.ts';
import type { CustomerData, OrderData, OrderEventType, RefundData } from '../orders/order-types.ts';
import type { Clock } from '../common/clock.ts';
import { validationFailed } from '../common/errors.ts';
import { purgeEvents, recordEvent, type EventStatus } from './inbound-event-repo.ts';

export const EVENT_RETENTION_DAYS = 30;

/** A storefront's customer as `customer.upserted` carries it: an order's customer, and its referrer (D11). */
export interface UpsertedCustomer extends CustomerData {
  referredBy?: string | null;
}

export type StorefrontEvent =
  | { id: string; type: 'customer.upserted'; occurredAt: string; data: { customer: UpsertedCustomer } }
  | { id: string; type: Exclude<OrderEventType, 'order.refunded'>; occurredAt: string; data: { order: OrderData } }
  | { id: string; type: 'order.refunded'; occurredAt: string; data: { order: OrderData; refund: RefundData } };

export type EventService = ReturnType<typeof createEventService>;

interface Deps {
  database: Database;
  clock: Clock;
  orders: OrderEvents;
  members: MemberService;
}

export function createEventService({ database, clock, orders, members }: Deps) {
  const { db } = database;
  return {
    /**
     * D15: applies a storefront event once: its id is remembered (30 days), and its business effect is
     * deduplicated by the order and refund it names. Everything it changes commits together, or nothing does.
     * Throws currency_mismatch, validation_failed.
     */
    async ingest(shopId: string, event: StorefrontEvent): Promise<{ id: string; status: EventStatus; path: 'optimistic' | 'locked' }> {
      const seen = { eventId: event.id, type: event.type, occurredAt: new Date(event.occurredAt), receivedAt: clock.now() };
      if (event.type !== 'customer.upserted') {
        const refund = event.type === 'order.refunded' ? event.data.refund : undefined;
        const { status, path } = await orders.apply(shopId, { ...seen, type: event.type }, event.data.order, refund);
        return { id: event.id, status, path };
      }
      const customer = event.data.customer;
      if (!customer.id) throw validationFailed([{ field: '/data/customer/id', message: 'is required for customer.upserted' }]);
      const customerId = customer.id;
      const referral = referralProblem(customerId, customer.referredBy);
      if (referral) throw validationFailed([{ field: '/data/customer/referredBy', message: referral }]);
      return withTx(db, async (tx) => {
        if (!(await recordEvent(tx, shopId, seen, null))) return { id: event.id, status: 'duplicate' as const, path: 'locked' as const };
        await members.upsert(shopId, customerId, customer, tx);
        return { id: event.id, status: 'applied' as const, path: 'locked' as const };
      });
    },

    /** Forgets event ids older than the retention, a chunk at a time; returns how many went. */
    purgeSeen(before: Date, limit: number): Promise<number> {
      return purgeEvents(database.db, before, limit);
    },
  };
}
