import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { inboundEvents } from '../../db/schema/index.ts';
import { requestTx, withTx } from '../../db/tx.ts';
import type { EventOutcome, OrderService } from '../orders/order-service.ts';
import { profileOf } from '../orders/order-service.ts';
import type { CustomerData, OrderData, OrderEventType, RefundData } from '../orders/order-types.ts';
import type { Clock } from '../shared/clock.ts';
import { validationFailed } from '../shared/errors.ts';

export const EVENT_RETENTION_DAYS = 30;

export type StorefrontEvent =
  | { id: string; type: 'customer.upserted'; occurredAt: string; data: { customer: CustomerData } }
  | { id: string; type: Exclude<OrderEventType, 'order.refunded'>; occurredAt: string; data: { order: OrderData } }
  | { id: string; type: 'order.refunded'; occurredAt: string; data: { order: OrderData; refund: RefundData } };

export type EventService = ReturnType<typeof createEventService>;

export function createEventService({ database, clock, orders }: { database: Database; clock: Clock; orders: OrderService }) {
  const { db } = database;
  return {
    /**
     * D15: applies a storefront event once: its id is remembered (30 days), and its business effect is
     * deduplicated by the order and refund it names. Everything it changes commits together, or nothing does.
     * Throws currency_mismatch, validation_failed.
     */
    async ingest(shopId: string, event: StorefrontEvent): Promise<{ id: string; status: EventOutcome; path: 'optimistic' | 'locked' }> {
      const occurredAt = new Date(event.occurredAt);
      const seen = { eventId: event.id, occurredAt, receivedAt: clock.now() };
      // The usual award needs no transaction (see applyOptimistically); a request's own transaction is joined.
      if (event.type !== 'customer.upserted' && !requestTx.getStore()) {
        const applied = await orders.applyOptimistically(shopId, { ...seen, type: event.type }, event.data.order);
        if (applied) return { id: event.id, status: applied, path: 'optimistic' };
      }
      return withTx(db, async (tx) => {
        let status: EventOutcome;
        if (event.type === 'customer.upserted') {
          const customer = event.data.customer;
          if (!customer.id) throw validationFailed([{ field: '/data/customer/id', message: 'is required for customer.upserted' }]);
          const fresh = await tx
            .insert(inboundEvents)
            .values({ shopId, ...seen, type: event.type, status: 'applied', orderId: null })
            .onConflictDoNothing()
            .returning({ id: inboundEvents.eventId });
          if (fresh.length === 0) return { id: event.id, status: 'duplicate' as const, path: 'locked' as const };
          await orders.upsertCustomer(shopId, customer.id, profileOf(customer), tx);
          status = 'applied';
        } else {
          // The order's first statement records the event id with the order (one round trip).
          const refund = event.type === 'order.refunded' ? event.data.refund : undefined;
          const applied = await orders.applyOrderEvent(tx, shopId, { ...seen, type: event.type }, event.data.order, refund);
          if (applied === null) return { id: event.id, status: 'duplicate' as const, path: 'locked' as const };
          status = applied;
        }
        if (status !== 'applied') {
          await tx.update(inboundEvents).set({ status }).where(and(eq(inboundEvents.shopId, shopId), eq(inboundEvents.eventId, event.id)));
        }
        return { id: event.id, status, path: 'locked' as const };
      });
    },

    /** Forgets event ids older than the retention, a chunk at a time; returns how many went. */
    async purgeSeen(before: Date, limit: number): Promise<number> {
      const result = await db.execute(sql`
        DELETE FROM inbound_events WHERE ctid = ANY (ARRAY(
          SELECT ctid FROM inbound_events WHERE received_at <= ${before} LIMIT ${limit}))`);
      return result.rowCount ?? 0;
    },
  };
}

