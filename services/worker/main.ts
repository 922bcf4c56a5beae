import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { loadConfig } from '../config.ts';
import { createContainer, type Container } from '../core/container.ts';
import { findJob, type JobRun } from '../core/jobs/job-registry.ts';
import { createLogger } from '../core/common/logging.ts';
import { createRedis } from '../core/common/redis.ts';
import { runMain } from '../process.ts';
import { createWorkerMetrics } from './metrics.ts';
import { serveMetrics } from './metrics-server.ts';
import { startRelay, type Relay, type RelayOptions } from './outbox-relay.ts';
import { backlog } from '../core/outbox/outbox-repo.ts';
import { dispatchJob, type OutboxJob } from '../core/outbox/event-dispatch.ts';
import { QUEUE_NAMES, createQueues, type MaintenancePayload, type Queues } from './queues.ts';
import { keepSchedules, type ScheduleStatus } from './schedules.ts';

/**
 * Scheduler ids that earlier versions set and that no job answers any more (`mature-awards` is now `mature`):
 * removed at start, so a Redis that still holds them stops firing jobs that would only fail.
 */
const LEGACY_SCHEDULER_IDS = ['mature-awards'] as const;

export interface RunningWorker {
  queues: Queues;
  /** D16: moves the outbox to the `outbox` queue. */
  relay: Relay;
  /** Whether every job's schedule was in Redis at the last check (`npm start` shows it on /readyz). */
  schedules(): ScheduleStatus;
  /** Checks the schedules now and sets the missing ones again. */
  checkSchedules(): Promise<ScheduleStatus>;
  /** Queue depth, job durations and failures (`npm start` serves them on the API's /metrics). */
  metrics: Registry;
  /** Stops taking jobs and waits for the running ones to finish (the process bounds it by SHUTDOWN_GRACE_MS). */
  close(): Promise<void>;
}

export interface WorkerOptions {
  /** How often the schedules are checked and the missing ones set again; a minute by default. */
  scheduleCheckMs?: number;
  relay?: RelayOptions;
}

/** Domain events handled at once by one worker process (each handler waits mostly on SMTP or a shop's server). */
const EVENT_CONCURRENCY = 8;

const SCHEDULE_CHECK_MS = 60_000;

/**
 * Connects the BullMQ workers to Redis and runs the jobs of the registry (core/jobs/job-registry.ts) by job name;
 * a job of any other name fails at once, unretried. While Redis is away the workers wait and retry; nothing is
 * lost, only delayed (D16).
 */
export async function startWorker(container: Container, logger: Logger, options: WorkerOptions = {}): Promise<RunningWorker> {
  const { config } = container;
  // BullMQ's blocking commands need maxRetriesPerRequest: null on the worker's connection.
  const connection = createRedis(config.redisUrl, logger, { maxRetriesPerRequest: null });
  // The relay's own connection fails at once while Redis is away (no offline queue): its claim rolls back and waits.
  const relayConnection = createRedis(config.redisUrl, logger, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const queues = createQueues(connection, config.queuePrefix);
  const relayQueue = new Queue<OutboxJob>(QUEUE_NAMES.outbox, { connection: relayConnection, prefix: config.queuePrefix });
  const maintenance = new Worker<MaintenancePayload>(
    QUEUE_NAMES.maintenance,
    async (job) => {
      const entry = findJob(job.name);
      if (!entry) throw new UnrecoverableError(`no handler for maintenance job "${job.name}"`);
      return entry.run(container, runOf(job.name, job.data, container));
    },
    { connection, prefix: config.queuePrefix, concurrency: 2 },
  );
  const events = new Worker<OutboxJob>(QUEUE_NAMES.outbox, (job) => dispatchJob(container, job.data), {
    connection,
    prefix: config.queuePrefix,
    concurrency: EVENT_CONCURRENCY,
  });
  const metrics = createWorkerMetrics(queues, () => backlog(container.database.db, new Date()));
  const stopCountingMail = container.mail.observe(metrics.mailAttempt);
  for (const [name, worker] of [[QUEUE_NAMES.maintenance, maintenance], [QUEUE_NAMES.outbox, events]] as const) {
    // Connection errors are already reported once by createRedis; job failures are logged per job.
    worker.on('error', (err) => logger.debug({ err }, 'worker connection error'));
    worker.on('failed', (job, err) => logger.warn({ err, queue: name, job: job?.name, jobId: job?.id }, 'job failed'));
    worker.on('completed', (job) => metrics.observe(name, job, 'completed'));
    worker.on('failed', (job) => metrics.observe(name, job, 'failed'));
  }
  for (const queue of [...Object.values(queues), relayQueue]) queue.on('error', (err) => logger.debug({ err }, 'queue connection error'));
  removeLegacySchedules(queues, logger);
  const schedules = keepSchedules(queues.maintenance, connection, logger, options.scheduleCheckMs ?? SCHEDULE_CHECK_MS);
  const relay = startRelay(container.database, relayQueue, logger, options.relay);
  logger.info({ queues: Object.values(QUEUE_NAMES) }, 'worker started');
  return {
    queues,
    relay,
    schedules: schedules.status,
    checkSchedules: schedules.check,
    metrics: metrics.registry,
    async close() {
      schedules.stop();
      await relay.stop();
      // Without `force`, BullMQ stops fetching and waits for the jobs in progress to finish.
      await Promise.all([maintenance.close(), events.close()]);
      stopCountingMail();
      await Promise.all([...Object.values(queues), relayQueue].map((q) => q.close()));
      connection.disconnect();
      relayConnection.disconnect();
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
 * The schedules themselves (one per registry job, scheduler id = job name) are kept by schedules.ts. Without Redis
 * these removals wait; meanwhile the process runs on.
 */
function removeLegacySchedules(queues: Queues, logger: Logger): void {
  for (const id of LEGACY_SCHEDULER_IDS) {
    queues.maintenance
      .removeJobScheduler(id)
      .catch((err: unknown) => logger.debug({ err, schedulerId: id }, 'could not remove a legacy job scheduler'));
  }
}

// `node --import tsx services/worker/main.ts`: the worker alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  await runMain('worker', async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel, 'worker');
    const container = createContainer(config, { logger, applicationName: 'lojal-worker' });
    const worker = await startWorker(container, logger);
    const metrics = config.workerMetricsPort > 0 ? await serveMetrics(worker.metrics, config.host, config.workerMetricsPort) : null;
    if (metrics) logger.info({ port: config.workerMetricsPort }, 'worker metrics served on /metrics');
    return {
      logger,
      graceMs: config.shutdownGraceMs,
      close: async () => {
        await new Promise((resolve) => (metrics ? metrics.close(resolve) : resolve(undefined)));
        await worker.close();
        await container.close();
      },
    };
  });
}
