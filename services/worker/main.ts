import { UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { loadConfig } from '../config.ts';
import { createContainer, type Container } from '../core/container.ts';
import { findJob, JOBS, type JobRun } from '../core/jobs/job-registry.ts';
import { createLogger } from '../core/shared/logging.ts';
import { createRedis } from '../core/shared/redis.ts';
import { runMain } from '../process.ts';
import { QUEUE_NAMES, createQueues, type MaintenancePayload, type Queues } from './queues.ts';

/**
 * Scheduler ids that earlier versions set and that no job answers any more (`mature-awards` is now `mature`):
 * removed at start, so a Redis that still holds them stops firing jobs that would only fail.
 */
const LEGACY_SCHEDULER_IDS = ['mature-awards'] as const;

export interface RunningWorker {
  queues: Queues;
  close(): Promise<void>;
}

/**
 * Connects the BullMQ workers to Redis and runs the jobs of the registry (core/jobs/job-registry.ts) by job name;
 * a job of any other name fails at once, unretried. While Redis is away the workers wait and retry; nothing is
 * lost, only delayed (D16).
 */
export async function startWorker(container: Container, logger: Logger): Promise<RunningWorker> {
  const { config } = container;
  // BullMQ's blocking commands need maxRetriesPerRequest: null on the worker's connection.
  const connection = createRedis(config.redisUrl, logger, { maxRetriesPerRequest: null });
  const queues = createQueues(connection, config.queuePrefix);
  const worker = new Worker<MaintenancePayload>(
    QUEUE_NAMES.maintenance,
    async (job) => {
      const entry = findJob(job.name);
      if (!entry) throw new UnrecoverableError(`no handler for maintenance job "${job.name}"`);
      return entry.run(container, runOf(job.name, job.data, container));
    },
    { connection, prefix: config.queuePrefix, concurrency: 2 },
  );
  // Connection errors are already reported once by createRedis; job failures are logged per job.
  worker.on('error', (err) => logger.debug({ err }, 'worker connection error'));
  worker.on('failed', (job, err) => logger.warn({ err, job: job?.name, jobId: job?.id }, 'job failed'));
  scheduleMaintenance(queues, logger);
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

/** A queued job's run: for its shop or every shop, as of its `asOf` or now; the worker never runs dry. */
function runOf(name: string, payload: MaintenancePayload, container: Container): JobRun {
  const asOf = payload.asOf === undefined ? container.clock.now() : new Date(payload.asOf);
  if (Number.isNaN(asOf.getTime())) throw new UnrecoverableError(`maintenance job "${name}": asOf "${payload.asOf}" is not a time`);
  return { shopId: payload.shopId ?? null, asOf, dryRun: false };
}

/**
 * One schedule per registry job, its scheduler id the job's name: stable, so every worker upserts the same
 * schedules and they never double (BullMQ job schedulers).
 */
function scheduleMaintenance(queues: Queues, logger: Logger): void {
  // Without Redis these wait; the schedules are set once Redis answers, meanwhile the process runs on.
  for (const id of LEGACY_SCHEDULER_IDS) {
    queues.maintenance
      .removeJobScheduler(id)
      .catch((err: unknown) => logger.debug({ err, schedulerId: id }, 'could not remove a legacy job scheduler'));
  }
  Promise.all(
    JOBS.map((job) => queues.maintenance.upsertJobScheduler(job.name, { every: job.everyMs }, { name: job.name, data: {} })),
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
