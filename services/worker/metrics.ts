import type { Job } from 'bullmq';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MessageStatus } from '../core/mail/mail-rules.ts';
import type { Queues } from './queues.ts';

const DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
/** A scrape never waits on an absent Redis longer than this: the depth is then left out. */
const DEPTH_TIMEOUT_MS = 1_000;

export interface WorkerMetrics {
  readonly registry: Registry;
  /** Called once per finished job, completed or failed. */
  observe(queue: string, job: Job | undefined, outcome: 'completed' | 'failed'): void;
  /** Called once per e-mail send attempt with what came of it (D17). */
  mailAttempt(template: string, status: MessageStatus): void;
}

/**
 * The worker's Prometheus metrics: jobs per queue and state, job durations by job name and outcome, failures by job
 * name, e-mail send attempts by template and outcome. Its own registry: `npm start` serves it on the API's `/metrics` beside the HTTP metrics.
 */
export function createWorkerMetrics(queues: Queues, outbox: () => Promise<{ waiting: number; lagSeconds: number }>): WorkerMetrics {
  const registry = new Registry();
  const durations = new Histogram({
    name: 'lojal_job_duration_seconds',
    help: 'Time a job ran, from start to finish, by queue, job name and outcome',
    labelNames: ['queue', 'name', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'lojal_job_failures_total',
    help: 'Job attempts that failed, by queue and job name',
    labelNames: ['queue', 'name'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'lojal_queue_jobs',
    help: 'Jobs in a queue by state (waiting, active, delayed, failed), read from Redis at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        Object.entries(queues).map(async ([name, queue]) => {
          const counts = await withTimeout(queue.getJobCounts(...DEPTH_STATES));
          if (!counts) return;
          for (const state of DEPTH_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
        }),
      );
    },
  });
  const mail = new Counter({
    name: 'lojal_mail_attempts_total',
    help: 'E-mail send attempts by template and outcome: sent, logged (no SMTP_URL), pending (to be retried), failed (permanently), skipped',
    labelNames: ['template', 'status'] as const,
    registers: [registry],
  });
  outboxGauges(registry, outbox);
  return {
    registry,
    mailAttempt(template, status) {
      mail.inc({ template, status });
    },
    observe(queue, job, outcome) {
      const name = job?.name ?? 'unknown';
      if (outcome === 'failed') failures.inc({ queue, name });
      if (job?.processedOn !== undefined && job.finishedOn !== undefined) {
        durations.observe({ queue, name, outcome }, Math.max(0, job.finishedOn - job.processedOn) / 1000);
      }
    },
  };
}

async function withTimeout<T>(promise: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), DEPTH_TIMEOUT_MS)))]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** D16: the outbox's rows waiting for the relay and the age of the oldest, read from PostgreSQL at scrape time. */
function outboxGauges(registry: Registry, outbox: () => Promise<{ waiting: number; lagSeconds: number }>): void {
  let last: Promise<{ waiting: number; lagSeconds: number } | null> | null = null;
  // One read per scrape serves both gauges.
  const read = () => (last ??= withTimeout(outbox()).finally(() => setTimeout(() => (last = null), 100)));
  new Gauge({
    name: 'lojal_outbox_events_waiting',
    help: 'Domain events in the outbox, not yet moved to the queue by the relay',
    registers: [registry],
    async collect() {
      const found = await read();
      if (found) this.set(found.waiting);
    },
  });
  new Gauge({
    name: 'lojal_outbox_lag_seconds',
    help: 'Age of the oldest domain event in the outbox (0 when empty): how far the relay is behind',
    registers: [registry],
    async collect() {
      const found = await read();
      if (found) this.set(found.lagSeconds);
    },
  });
}
