import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { withTx } from '../db/tx.ts';
import type { Database } from '../db/client.ts';
import { claimBatch, deleteRelayed, outboxId } from '../core/outbox/outbox-repo.ts';
import type { EventGroup, OutboxJob } from '../core/outbox/event-dispatch.ts';
import type { DomainEvent } from '../core/outbox/outbox-types.ts';

/** Rows per claim: one transaction, one SELECT, one Redis round trip, one DELETE. */
const BATCH = 500;
/**
 * Events per job, at most, all of one shop: a job costs Redis and the worker about as much for one event as for a
 * group, and a shop's slow receiver holds up only its own group.
 */
const GROUP = 50;
/** Pause after a claim that found less than a full batch (the outbox is drained). */
const IDLE_MS = 200;
/** Longest pause after failures (Redis or PostgreSQL away): the relay keeps trying, slower. */
const MAX_BACKOFF_MS = 5_000;
/** A Redis that does not take the batch within this is treated as away: the claim rolls back and waits. */
const ADD_TIMEOUT_MS = 5_000;

/**
 * BullMQ options of an events job (a group of one shop's events). Its id is made from its events, so a batch added
 * twice (the relay crashed or timed out after Redis took it and before its DELETE committed) is one job each. Many attempts with exponential backoff (the
 * last ones days apart): a handler that cannot reach PostgreSQL keeps its event. Completed jobs go at once; the
 * handlers' own tables remember what was done (they deduplicate by event id), and the job data holds no copy.
 */
export const EVENT_JOB_OPTIONS = {
  attempts: 16,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

export interface RelayOptions {
  batch?: number;
  idleMs?: number;
}

export interface Relay {
  /** Events moved to BullMQ since start. */
  relayed(): number;
  /** Moves what waits now, batch after batch, until the outbox is empty (tests and the jobs route use it). */
  drain(): Promise<number>;
  /** Stops after the claim in progress (its transaction commits or rolls back). */
  stop(): Promise<void>;
}

/**
 * D16: the outbox relay. A loop claims the oldest rows (FOR UPDATE SKIP LOCKED, so relays in several workers take
 * different rows), adds them to the `outbox` queue as one bulk, and deletes them in the same transaction. Redis away:
 * the add fails or times out, the transaction rolls back, the rows stay and the loop retries with backoff, so an
 * outage only delays. A crash between the add and the commit leaves rows that are added again, mostly under the
 * same job ids (groupJobId); where the groups come out otherwise, the handlers' deduplication keeps each event once.
 */
export function startRelay(database: Database, queue: Queue<OutboxJob>, logger: Logger, options: RelayOptions = {}): Relay {
  const batch = options.batch ?? BATCH;
  const idleMs = options.idleMs ?? IDLE_MS;
  let relayed = 0;
  let stopped = false;
  let failures = 0;
  let wake: (() => void) | null = null;
  let current: Promise<number> = Promise.resolve(0);

  const relayOnce = () => moveBatch(database, queue, batch);

  const step = async (): Promise<number> => {
    try {
      const moved = await relayOnce();
      relayed += moved;
      if (failures > 0) logger.info({ failures }, 'outbox relay running again');
      failures = 0;
      return moved;
    } catch (err) {
      failures += 1;
      if (failures === 1) logger.warn({ err }, 'outbox relay cannot move events (Redis or PostgreSQL away); it keeps trying');
      return -1;
    }
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });

  const loop = async () => {
    while (!stopped) {
      current = step();
      const moved = await current;
      if (stopped) break;
      if (moved < 0) await sleep(Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(failures, 5)));
      else if (moved < batch) await sleep(idleMs);
    }
  };
  const running = loop();

  return {
    relayed: () => relayed,
    async drain() {
      let total = 0;
      for (;;) {
        await current;
        const moved = await relayOnce();
        total += moved;
        if (moved < batch) return total;
      }
    },
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}

/** One claim: the oldest `batch` rows into the queue, then deleted, in one transaction. Returns how many moved. */
function moveBatch(database: Database, queue: Queue<OutboxJob>, batch: number): Promise<number> {
  return withTx(database.db, async (tx) => {
    const events = await claimBatch(tx, batch);
    if (events.length === 0) return 0;
    const jobs = groups(events).map((group) => ({ name: 'events', data: group, opts: { jobId: groupJobId(group), ...EVENT_JOB_OPTIONS } }));
    await withTimeout(queue.addBulk(jobs), ADD_TIMEOUT_MS);
    await deleteRelayed(tx, events.map(outboxId));
    return events.length;
  });
}

/** The claimed events as jobs: each shop's in the order they were raised, GROUP at a time. */
function groups(events: DomainEvent[]): EventGroup[] {
  const byShop = new Map<string, DomainEvent[]>();
  for (const event of events) {
    const mine = byShop.get(event.shopId) ?? [];
    mine.push(event);
    byShop.set(event.shopId, mine);
  }
  const result: EventGroup[] = [];
  for (const [shopId, mine] of byShop) {
    for (let i = 0; i < mine.length; i += GROUP) result.push({ shopId, events: mine.slice(i, i + GROUP) });
  }
  return result;
}

/**
 * A group's job id, from its first event and its size: a claim added again (the relay died after Redis took it,
 * before its DELETE committed) finds the same rows, oldest first, and makes the same jobs, which BullMQ keeps once.
 * Should the rows be grouped otherwise the second time, the handlers still do each event once.
 */
function groupJobId(group: EventGroup): string {
  return `${group.events[0]!.id}+${group.events.length}`;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Redis did not take the batch within ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
