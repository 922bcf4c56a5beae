import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { loadConfig } from '../config.ts';
import { createContainer, type Container } from '../core/container.ts';
import { createLogger } from '../core/shared/logging.ts';
import { createRedis } from '../core/shared/redis.ts';
import { runMain } from '../process.ts';
import { MATURE_AWARDS, matureAwards } from './jobs/mature-awards.ts';
import { RELEASE_HOLDS, releaseHolds } from './jobs/release-holds.ts';
import { PURGE_IDEMPOTENCY_KEYS, purgeIdempotencyKeys } from './jobs/purge-idempotency-keys.ts';
import { PURGE_INBOUND_EVENTS, purgeInboundEvents } from './jobs/purge-inbound-events.ts';
import { QUEUE_NAMES, createQueues, type MaintenancePayload, type Queues } from './queues.ts';

export type MaintenanceHandler = (payload: MaintenancePayload, job: Job<MaintenancePayload>) => Promise<unknown>;

export interface RunningWorker {
  queues: Queues;
  close(): Promise<void>;
}

/**
 * Connects the BullMQ workers to Redis. Sweeps register in `handlers` by job name; a job with no handler fails
 * at once, unretried. While Redis is away the workers wait and retry; nothing is lost, only delayed (D16).
 */
export async function startWorker(
  container: Container,
  logger: Logger,
  handlers: Record<string, MaintenanceHandler> = maintenanceHandlers(container),
): Promise<RunningWorker> {
  const { config } = container;
  // BullMQ's blocking commands need maxRetriesPerRequest: null on the worker's connection.
  const connection = createRedis(config.redisUrl, logger, { maxRetriesPerRequest: null });
  const queues = createQueues(connection, config.queuePrefix);
  const worker = new Worker<MaintenancePayload>(
    QUEUE_NAMES.maintenance,
    async (job) => {
      const handler = handlers[job.name];
      if (!handler) throw new UnrecoverableError(`no handler for maintenance job "${job.name}"`);
      return handler(job.data, job);
    },
    { connection, prefix: config.queuePrefix, concurrency: 2 },
  );
  // Connection errors are already reported once by createRedis; job failures are logged per job.
  worker.on('error', (err) => logger.debug({ err }, 'worker connection error'));
  worker.on('failed', (job, err) => logger.warn({ err, job: job?.name, jobId: job?.id }, 'job failed'));
  await scheduleMaintenance(queues, logger);
  logger.info({ queues: Object.values(QUEUE_NAMES) }, 'worker started');
  return {
    queues,
    async close() {
      await worker.close();
      await Promise.all(Object.values(queues).map((q) => q.close()));
      connection.disconnect();
    },
  };
}

/** The sweeps this worker runs, by job name. */
export function maintenanceHandlers(container: Container): Record<string, MaintenanceHandler> {
  return {
    [PURGE_IDEMPOTENCY_KEYS]: purgeIdempotencyKeys(container),
    [PURGE_INBOUND_EVENTS]: purgeInboundEvents(container),
    [MATURE_AWARDS]: matureAwards(container),
    [RELEASE_HOLDS]: releaseHolds(container),
  };
}

/** Stable scheduler ids: every worker upserts the same schedules, so they never double (BullMQ job schedulers). */
const SCHEDULES: { name: string; everyMs: number }[] = [
  { name: PURGE_IDEMPOTENCY_KEYS, everyMs: 3_600_000 },
  { name: PURGE_INBOUND_EVENTS, everyMs: 3_600_000 },
  { name: MATURE_AWARDS, everyMs: 15 * 60_000 },
  { name: RELEASE_HOLDS, everyMs: 60_000 },
];

async function scheduleMaintenance(queues: Queues, logger: Logger): Promise<void> {
  // Without Redis this would wait; the schedules are set once Redis answers, meanwhile the process runs on.
  void Promise.all(
    SCHEDULES.map((s) => queues.maintenance.upsertJobScheduler(s.name, { every: s.everyMs }, { name: s.name, data: {} })),
  ).catch((err: unknown) => logger.warn({ err }, 'could not set the maintenance schedules yet'));
}

// `node --import tsx services/worker/main.ts`: the worker alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  await runMain('worker', async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel, 'worker');
    const container = createContainer(config, { logger, applicationName: 'lojal-worker' });
    const worker = await startWorker(container, logger);
    return {
      logger,
      graceMs: config.shutdownGraceMs,
      close: async () => {
        await worker.close();
        await container.close();
      },
    };
  });
}
