import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { JOBS } from '../core/jobs/job-registry.ts';

/** `ok`: every registry job has its scheduler in Redis, as last seen; `missing`: not (or Redis not answering). */
export type ScheduleStatus = 'ok' | 'missing';

export interface ScheduleKeeper {
  /** The last check's finding; `missing` until the first check passes. */
  status(): ScheduleStatus;
  /** Reads the schedulers and sets the missing ones again; one check at a time, later calls join it. */
  check(): Promise<ScheduleStatus>;
  stop(): void;
}

/**
 * Keeps the maintenance schedules in Redis. A Redis that comes back without its data (a failover, a fresh instance)
 * has none, so they are set again whenever the connection is ready and every `intervalMs`. Only missing ones are
 * upserted: the scheduler id is the job's name, so nothing doubles, and a present schedule keeps its next run
 * (an upsert overrides the scheduler and would push that run back).
 */
export function keepSchedules(queue: Queue, connection: Redis, logger: Logger, intervalMs: number): ScheduleKeeper {
  let status: ScheduleStatus = 'missing';
  let running: Promise<ScheduleStatus> | null = null;
  let stopped = false;
  let everSet = false;

  async function assertSchedules(): Promise<ScheduleStatus> {
    const present = new Set((await queue.getJobSchedulers(0, -1)).map((s) => s.key));
    const missing = JOBS.filter((job) => !present.has(job.name));
    for (const job of missing) {
      await queue.upsertJobScheduler(job.name, { every: job.everyMs }, { name: job.name, data: {} });
    }
    // The first check at start finds them missing on a new Redis: that is not news; later it means Redis lost them.
    const names = missing.map((j) => j.name);
    if (missing.length > 0 && everSet) logger.warn({ schedules: names }, 'job schedules were missing: set again');
    else if (missing.length > 0) logger.info({ schedules: names }, 'job schedules set');
    everSet = true;
    return 'ok';
  }

  function check(): Promise<ScheduleStatus> {
    if (stopped) return Promise.resolve(status);
    running ??= assertSchedules()
      .catch((err: unknown) => {
        logger.warn({ err }, 'could not check the job schedules; they are set again once Redis answers');
        return 'missing' as const;
      })
      .then((found) => {
        status = found;
        running = null;
        return found;
      });
    return running;
  }

  const onReady = () => void check();
  const onClose = () => {
    status = 'missing'; // no Redis, no schedules firing; the next 'ready' checks again
  };
  connection.on('ready', onReady);
  connection.on('close', onClose);
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  void check();
  return {
    status: () => status,
    check,
    stop() {
      stopped = true;
      clearInterval(timer);
      connection.off('ready', onReady);
      connection.off('close', onClose);
    },
  };
}
