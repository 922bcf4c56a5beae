import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx } from '../../db/tx.ts';
import { signatureHeader } from '../events/signature.ts';
import { publicEvent, type DomainEvent } from '../outbox/outbox-types.ts';
import type { Clock } from '../common/clock.ts';
import { validationFailed } from '../common/errors.ts';
import { isId, newId } from '../common/ids.ts';
import { SETTINGS_CACHE_MS, ttlCache } from '../common/ttl-cache.ts';
import * as deliveries from './webhook-delivery-repo.ts';
import type { ClaimedDelivery, Delivery, DeliveryStatus } from './webhook-delivery-repo.ts';
import * as endpoints from './webhook-endpoint-repo.ts';
import type { Endpoint } from './webhook-endpoint-repo.ts';
import { afterFailure, endpointErrors, shortError, type EndpointInput } from './webhook-rules.ts';
import { DEFAULT_TIMEOUT_MS, sendWebhook, type SendResult } from './webhook-sender.ts';

export type { Delivery, DeliveryStatus } from './webhook-delivery-repo.ts';
export type { Endpoint } from './webhook-endpoint-repo.ts';
export type WebhookService = ReturnType<typeof createWebhookService>;

/** A run claims this many deliveries at a time, at most PER_SHOP of one shop, for at most MAX_CHUNKS claims. */
const CHUNK = 50;
const PER_SHOP = 5;
const MAX_CHUNKS = 20;
/** Attempts running at once in a run (each bounded by the timeout). */
const CONCURRENCY = 10;
/** A run starts no new claim after this long (by the clock): a run of hanging receivers ends within about 35 s. */
const RUN_BUDGET_MS = 25_000;
/** A claim's lease outlasts the attempt's timeout by this much before another runner may take the delivery. */
const LEASE_MARGIN_MS = 60_000;

export interface WebhookServiceDeps {
  database: Database;
  clock: Clock;
  /** The shop's live webhook secrets, newest first (shops.webhookSecrets): the newest signs. */
  webhookSecrets: (shopId: string, options?: { fresh?: boolean }) => Promise<string[]>;
  /** How long one attempt may take; 10 s unless a test says otherwise. */
  timeoutMs?: number;
  /** WEBHOOK_ALLOW_PRIVATE: endpoints may be on private, loopback and link-local addresses (webhook-address.ts). */
  allowPrivate: boolean;
}

export interface DeliverRun {
  shopId: string | null;
  asOf: Date;
  dryRun: boolean;
}

type Counts = { due: number; delivered: number; retried: number; failed: number };

/**
 * D16: the shop's own copies of Lojal's events: one delivery per shop and event, POSTed to the shop's endpoint,
 * signed like inbound events, retried with backoff for at least 24 h (webhook-rules.ts), then `failed`.
 */
export function createWebhookService(deps: WebhookServiceDeps) {
  const { database, clock } = deps;
  const { db } = database;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const attempt = attempter(deps, timeoutMs);
  // The outbox handler looks at the shop's endpoint for every event: kept for a few seconds, as the program is.
  const endpointCache = ttlCache<Endpoint | null>(SETTINGS_CACHE_MS, 10_000, { shareLoads: true });

  return {
    async getEndpoint(shopId: string): Promise<Endpoint> {
      return (await endpoints.findEndpoint(reader(db), shopId)) ?? { url: null, enabled: false };
    },

    /** Sets (or with `url: null` removes) the shop's endpoint. Throws validation_failed. */
    async putEndpoint(shopId: string, input: EndpointInput): Promise<Endpoint> {
      const errors = endpointErrors(input, deps.allowPrivate);
      if (errors.length > 0) throw validationFailed(errors);
      // Deleted once written: the delete also throws away a load of the old endpoint in flight meanwhile.
      return withTx(db, (tx) => endpoints.upsertEndpoint(tx, shopId, input, clock.now())).finally(() => endpointCache.delete(shopId));
    },

    /**
     * The outbox handler: with an enabled endpoint, records the event's delivery (once, however often and however
     * concurrently the event is handed over) and, when this call recorded it, attempts it at once.
     */
    async handleEvent(event: DomainEvent): Promise<{ recorded: boolean }> {
      const endpoint = await endpointCache.get(event.shopId, () => endpoints.findEndpoint(reader(db), event.shopId));
      if (!endpoint?.enabled || endpoint.url === null) return { recorded: false };
      const now = clock.now();
      // A failing endpoint's new deliveries wait for the job, due at once: one shop's dead receiver never ties up
      // the handlers every shop's events go through.
      const inline = !(await deliveries.isFailing(reader(db), event.shopId));
      const row = {
        shopId: event.shopId,
        id: newId('whd', now.getTime()),
        eventId: event.id,
        eventType: event.type,
        memberId: event.memberId,
        body: JSON.stringify(publicEvent(event)),
        createdAt: now,
        leaseUntil: inline ? leaseFrom(now, timeoutMs) : now,
      };
      if (!(await withTx(db, (tx) => deliveries.insertDelivery(tx, row)))) return { recorded: false };
      if (inline) await attempt({ ...row, attempts: 0, url: endpoint.url, enabled: true }, now);
      return { recorded: true };
    },

    /**
     * Attempts the deliveries due at `asOf`, claimed in chunks fair between shops, CONCURRENCY at a time; a dry run
     * counts the due ones (up to a run's bound) and sends nothing. Times move on from `asOf` as the clock does.
     */
    async deliverDue(run: DeliverRun): Promise<Counts> {
      if (!run.dryRun) return runDue(deps, timeoutMs, attempt, run);
      return { due: await deliveries.countDue(reader(db), run.shopId, run.asOf, CHUNK * MAX_CHUNKS), delivered: 0, retried: 0, failed: 0 };
    },

    /** Newest first; `cursor` is the previous page's `nextCursor`. Throws validation_failed. */
    async listDeliveries(
      shopId: string,
      { limit = 50, cursor = null, status = null }: { limit?: number; cursor?: string | null; status?: DeliveryStatus | null },
    ): Promise<{ data: Delivery[]; nextCursor: string | null }> {
      // Any string would do as a keyset bound, so a mangled cursor would quietly give some other page.
      if (cursor !== null && !isId('whd', cursor)) throw validationFailed([{ field: 'query/cursor', message: 'is not a cursor this API gave out' }]);
      const rows = await deliveries.listDeliveries(reader(db), shopId, { limit: limit + 1, before: cursor, status });
      const data = rows.slice(0, limit);
      return { data, nextCursor: rows.length > limit ? (data[data.length - 1]?.id ?? null) : null };
    },
  };
}

/** One attempt of a claimed delivery at `at`, its outcome recorded: what became of it. */
function attempter({ database, webhookSecrets, allowPrivate }: WebhookServiceDeps, timeoutMs: number) {
  async function post(d: ClaimedDelivery, url: string, at: Date): Promise<SendResult> {
    const [secret] = await webhookSecrets(d.shopId);
    if (!secret) return { ok: false, statusCode: null, error: 'the shop has no live webhook secret' };
    const headers = {
      // The signature's time is the wall clock's, whatever `at` a run has (an operator's run as of another day):
      // receivers check it against theirs, as Lojal checks inbound events (300 s).
      'lojal-signature': signatureHeader(secret, d.body, Math.floor(Date.now() / 1000)),
      'lojal-event-id': d.eventId,
      'lojal-event-type': d.eventType,
    };
    return sendWebhook({ url, body: d.body, headers, timeoutMs, allowPrivate });
  }

  return async (d: ClaimedDelivery, at: Date): Promise<'delivered' | 'retried' | 'failed' | 'lost'> => {
    const result: SendResult = d.enabled && d.url !== null ? await post(d, d.url, at) : { ok: false, statusCode: null, error: 'the endpoint is disabled or removed' };
    const outcome: deliveries.AttemptOutcome = result.ok
      ? { at, status: 'delivered', nextAttemptAt: null, statusCode: result.statusCode, error: null }
      : { at, ...afterFailure(d.attempts + 1, at), statusCode: result.statusCode, error: shortError(result.error) };
    if (!(await withTx(database.db, (tx) => deliveries.recordAttempt(tx, d, outcome)))) return 'lost';
    return outcome.status === 'pending' ? 'retried' : outcome.status;
  };
}

/** A lease on a claimed delivery: the attempt's timeout and a margin from `at`. */
const leaseFrom = (at: Date, timeoutMs: number) => new Date(at.getTime() + timeoutMs + LEASE_MARGIN_MS);

/**
 * A run of the retries: claims due deliveries in chunks fair between shops (FOR UPDATE SKIP LOCKED, leased) and
 * attempts them CONCURRENCY at a time, until none is due, MAX_CHUNKS claims or RUN_BUDGET_MS have passed. Times
 * move on from `asOf` as the clock does.
 */
async function runDue(
  { database, clock }: WebhookServiceDeps,
  timeoutMs: number,
  attempt: ReturnType<typeof attempter>,
  { shopId, asOf }: DeliverRun,
): Promise<Counts> {
  const counts: Counts = { due: 0, delivered: 0, retried: 0, failed: 0 };
  const started = clock.now().getTime();
  const at = () => new Date(asOf.getTime() + (clock.now().getTime() - started));
  for (let chunk = 0; chunk < MAX_CHUNKS && clock.now().getTime() - started < RUN_BUDGET_MS; chunk++) {
    const claimedAt = at();
    const limits = { shopId, asOf: claimedAt, limit: CHUNK, perShop: PER_SHOP, leaseUntil: leaseFrom(claimedAt, timeoutMs) };
    const claimed = await withTx(database.db, (tx) => deliveries.claimDue(tx, limits));
    if (claimed.length === 0) break;
    counts.due += claimed.length;
    await inParallel(claimed, CONCURRENCY, async (d) => {
      const result = await attempt(d, at());
      if (result !== 'lost') counts[result] += 1;
    });
  }
  return counts;
}

/** Runs `work` on every item, at most `limit` at once. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
