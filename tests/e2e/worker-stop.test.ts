import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { Queue } from 'bullmq';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ADMIN_TOKEN } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { TEST_REDIS_URL } from '../helpers/env.ts';
import { ROOT, cleanEnv, runQueues } from '../helpers/processes.ts';

// `npm run start:worker` for real, told to stop with SIGTERM while a job runs: the job's first read waits on a
// table lock this test holds, so the job is in progress exactly as long as the test wants.
const queues = runQueues(inject('runId'));
afterAll(() => queues.clear(TEST_REDIS_URL));

async function startBlockedWorker(name: string, graceMs: number) {
  const databaseUrl = await createTestDatabase();
  const prefix = queues.prefix(name);
  const locker = new pg.Client({ connectionString: databaseUrl });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE redemptions IN ACCESS EXCLUSIVE MODE');
  const child = spawn('node', ['--import', 'tsx', 'services/worker/main.ts'], {
    cwd: ROOT,
    env: cleanEnv({
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOJAL_ADMIN_TOKEN: ADMIN_TOKEN,
      LOJAL_SECRET_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: String(graceMs),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const queue = new Queue('maintenance', { connection: { url: TEST_REDIS_URL }, prefix });
  // Not the scheduled run (its asOf is the job's time), one of our own, so its id is known.
  const job = await queue.add('release-holds', {}, { jobId: 'blocked' });
  await expect.poll(() => job.getState(), { timeout: 20_000 }).toBe('active');
  return { child, output: () => output, exited, queue, job, locker };
}

describe('the worker process on SIGTERM', () => {
  it('lets the running job finish, then exits 0', { timeout: 60_000 }, async () => {
    const w = await startBlockedWorker('stop_finish', 20_000);
    try {
      w.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 1_000));
      expect(w.child.exitCode).toBeNull(); // still waiting for its job
      await w.locker.query('COMMIT');
      expect(await w.exited).toBe(0);
      expect(await w.job.getState()).toBe('completed');
      expect(w.output()).toContain('"msg":"worker closed"');
    } finally {
      await w.locker.end();
      await w.queue.close();
    }
  });

  it('waits no longer than SHUTDOWN_GRACE_MS for a job that does not finish: exits 1', { timeout: 60_000 }, async () => {
    const w = await startBlockedWorker('stop_grace', 1_000);
    try {
      const started = Date.now();
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await w.locker.query('ROLLBACK');
      await w.locker.end();
      await w.queue.close();
    }
  });
});
