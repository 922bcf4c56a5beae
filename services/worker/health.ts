import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../config.ts';
import { JOBS } from '../core/jobs/job-registry.ts';
import { QUEUE_NAMES } from './queues.ts';

export interface WorkerHealth {
  healthy: boolean;
  /** Workers connected to the maintenance queue. */
  workers: number;
  /** Registry jobs without their schedule in Redis. */
  missingSchedules: string[];
}

/**
 * The standalone worker's health, read from Redis by another process (docker compose's health check): healthy
 * when a worker is connected to the maintenance queue and every registry job has its schedule. A worker sets
 * missing schedules again within its check interval, so a health check that keeps failing means they stay gone.
 */
export async function workerHealth(redisUrl: string, prefix: string): Promise<WorkerHealth> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: () => null });
  redis.on('error', () => {}); // the rejected command says it
  const queue = new Queue(QUEUE_NAMES.maintenance, { connection: redis, prefix });
  queue.on('error', () => {});
  try {
    const [workers, schedulers] = await Promise.all([queue.getWorkersCount(), queue.getJobSchedulers(0, -1)]);
    const present = new Set(schedulers.map((s) => s.key));
    const missingSchedules = JOBS.map((job) => job.name).filter((name) => !present.has(name));
    return { healthy: workers > 0 && missingSchedules.length === 0, workers, missingSchedules };
  } finally {
    await queue.close().catch(() => {});
    redis.disconnect();
  }
}

// `node --import tsx services/worker/health.ts`: exit 0 when healthy, 1 otherwise, with one JSON line saying why.
if (import.meta.url === `file://${process.argv[1]}`) {
  setTimeout(() => process.exit(1), 4_000).unref();
  const config = loadConfig();
  try {
    const health = await workerHealth(config.redisUrl, config.queuePrefix);
    console.log(JSON.stringify(health));
    process.exit(health.healthy ? 0 : 1);
  } catch (error) {
    console.log(JSON.stringify({ healthy: false, error: (error as { code?: string }).code ?? String(error) }));
    process.exit(1);
  }
}
