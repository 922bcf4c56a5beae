import { isConnectionFailure } from '../../db/tx.ts';
import { admissionGate } from '../common/admission.ts';
import type { Clock } from '../common/clock.ts';
import type { EventService, StorefrontEvent } from '../events/event-service.ts';
import type { EventStatus } from '../events/inbound-event-repo.ts';
import { isId } from '../common/ids.ts';
import type { ShopService } from '../shops/shop-service.ts';
import { customerEvent, orderEvents } from './wc-rules.ts';
import { wcSignatureMatches } from './wc-signature.ts';
import { topicKind, type WcCustomer, type WcOrder } from './wc-types.ts';

export type WooCommerceService = ReturnType<typeof createWooCommerceService>;

export interface WcDeliveryOutcome {
  /** applied when any event changed something, duplicate when all were seen, ignored when there was nothing to do. */
  status: EventStatus;
  events: { id: string; type: string; status: EventStatus }[];
}

interface Deps {
  clock: Clock;
  events: EventService;
  shops: Pick<ShopService, 'webhookSecrets'>;
  /** Deliveries applied at once; the others wait their turn (D21): half the pool, the rest of the API keeps the other half. */
  concurrency: number;
  /** How long a delivery keeps trying while the database cannot be reached or has no connection to give. */
  patienceMs?: number;
}

/**
 * WooCommerce's own webhooks (docs/woocommerce.md): a delivery becomes the storefront events it stands for
 * (wc-rules.ts), applied through the same event service as `POST /v1/events`, so both paths give the same ledger.
 */
export function createWooCommerceService({ clock, events, shops, concurrency, patienceMs = 20_000 }: Deps) {
  const gate = admissionGate(concurrency);

  async function applyAll(shopId: string, derived: StorefrontEvent[]): Promise<WcDeliveryOutcome> {
    const outcomes: WcDeliveryOutcome['events'] = [];
    // One after another, as they happened: each is its own transaction, and deduplicated by its id and its effect.
    for (const event of derived) {
      const { status } = await events.ingest(shopId, event);
      outcomes.push({ id: event.id, type: event.type, status });
    }
    return { status: overall(outcomes.map((o) => o.status)), events: outcomes };
  }

  const patiently = <T>(work: () => Promise<T>) => withPatience(work, patienceMs);

  return {
    /**
     * D20: whether the raw body is signed with one of the shop's live webhook secrets; an unknown shop has none.
     * `lookAgain`: on a mismatch, read the secrets again past the cache (one may just have rotated elsewhere).
     */
    verify(shopId: string, signature: string | undefined, rawBody: Buffer, lookAgain: boolean): Promise<boolean> {
      if (!isId('shop', shopId)) return Promise.resolve(false);
      return patiently(async () =>
        wcSignatureMatches(signature, rawBody, await shops.webhookSecrets(shopId)) ||
        (lookAgain && wcSignatureMatches(signature, rawBody, await shops.webhookSecrets(shopId, { fresh: true }))));
    },

    /** Whether the shop exists (every shop has a live webhook secret). */
    async knows(shopId: string): Promise<boolean> {
      return isId('shop', shopId) && (await patiently(() => shops.webhookSecrets(shopId))).length > 0;
    },

    /**
     * The storefront events a delivery of `topic` stands for, in order; null for a topic Lojal does not read, an
     * empty list for a delivery with nothing to apply (a checkout draft). Pure. Throws validation_failed.
     */
    eventsOf(topic: string, body: unknown): StorefrontEvent[] | null {
      const kind = topicKind(topic);
      if (kind === 'order') return orderEvents(body as WcOrder);
      if (kind === 'customer') return [customerEvent(body as WcCustomer, clock.now())];
      return null;
    },

    /**
     * Applies a delivery's events, waiting its turn behind at most `concurrency` others. Throws what the event
     * service throws (currency_mismatch, validation_failed, out_of_range).
     */
    apply(shopId: string, derived: StorefrontEvent[]): Promise<WcDeliveryOutcome> {
      if (derived.length === 0) return Promise.resolve({ status: 'ignored', events: [] });
      return gate.run(() => patiently(() => applyAll(shopId, derived)));
    },
  };
}

/**
 * D21: WooCommerce never sends a delivery again, so a moment without a database connection is waited out (every
 * event is deduplicated, so trying the whole delivery again is safe) for up to `patienceMs`, well inside the 60 s
 * WooCommerce waits for an answer.
 */
async function withPatience<T>(work: () => Promise<T>, patienceMs: number): Promise<T> {
  const start = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isConnectionFailure(error) || performance.now() - start > patienceMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 25 * 2 ** attempt)));
    }
  }
}

function overall(statuses: EventStatus[]): EventStatus {
  if (statuses.includes('applied')) return 'applied';
  return statuses.includes('duplicate') ? 'duplicate' : 'ignored';
}
