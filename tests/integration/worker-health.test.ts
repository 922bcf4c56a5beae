import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.ts';
import { JOBS } from '../../services/core/jobs/job-registry.ts';
import { createLogger } from '../../services/core/common/logging.ts';
import { workerHealth } from '../../services/worker/health.ts';
import { startWorker, type RunningWorker } from '../../services/worker/main.ts';
import { buildTestApp, createShop, type TestApp } from '../helpers/app.ts';
import { TEST_REDIS_URL } from '../helpers/env.ts';
import { adjust, balanceOf, putMember } from '../helpers/members.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

// A worker that checks its schedules every 300 ms, and an app that runs it in-process as `npm start` does.
const CHECK_MS = 300;
let t: TestApp;
let worker: RunningWorker;
let app: FastifyInstance;
let redis: Redis;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  t = await buildTestApp({ env: { SMTP_URL: sink.url } });
  worker = await startWorker(t.container, createLogger('silent', 'worker'), { scheduleCheckMs: CHECK_MS });
  app = await buildApp({ container: t.container, logger: createLogger('silent', 'test'), worker: { schedules: worker.schedules, metrics: worker.metrics } });
  await app.ready();
  redis = new Redis(t.config.redisUrl);
});
afterAll(async () => {
  await app.close();
  await worker.queues.maintenance.obliterate({ force: true });
  await worker.close();
  redis.disconnect();
  await t.close();
  await sink.close();
});

const schedulerIds = async () => (await worker.queues.maintenance.getJobSchedulers(0, -1)).map((s) => s.key).sort();
const allIds = JOBS.map((j) => j.name).sort();

/** A fresh Redis, as after a failover: every key of this worker's prefix gone. */
async function forgetEverything(): Promise<void> {
  const keys = await redis.keys(`${t.config.queuePrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
}

describe('the worker keeps its schedules (Redis without its data)', () => {
  it('sets the schedules again after Redis lost them, and the re-created release-holds frees an expired hold', { timeout: 30_000 }, async () => {
    await expect.poll(schedulerIds).toEqual(allIds);
    await expect.poll(() => worker.schedules()).toBe('ok');
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'r1');
    await adjust(t.app, shop, 'r1', { points: 500 });
    // Let the start's immediate release-holds run pass; the next is a minute away.
    await expect.poll(async () => (await worker.queues.maintenance.getCompleted()).some((j) => j.name === 'release-holds')).toBe(true);
    const held = await t.app.inject({ method: 'POST', url: '/v1/redemptions', headers: shop.auth, payload: { customerId: 'r1', points: 200 } });
    expect(held.statusCode, held.body).toBe(201);
    await t.container.database.pool.query(`UPDATE redemptions SET expires_at = now() - interval '1 minute' WHERE shop_id = $1`, [shop.id]);
    expect(await balanceOf(t.app, shop, 'r1')).toMatchObject({ available: 300, held: 200 });

    await forgetEverything();
    // Back within the check interval, each once (stable ids), and the new release-holds runs at once.
    await expect.poll(schedulerIds, { timeout: 5 * CHECK_MS, interval: 50 }).toEqual(allIds);
    await expect.poll(() => balanceOf(t.app, shop, 'r1'), { timeout: 10_000 }).toMatchObject({ available: 500, held: 0 });
    await new Promise((r) => setTimeout(r, 2 * CHECK_MS));
    expect(await schedulerIds()).toEqual(allIds);
  });

  it('the standalone health check (docker compose): healthy with a worker and every schedule, else names what is missing', async () => {
    await worker.checkSchedules();
    expect(await workerHealth(t.config.redisUrl, t.config.queuePrefix)).toEqual({ healthy: true, workers: 1, missingSchedules: [] });
    await worker.queues.maintenance.removeJobScheduler('release-holds');
    expect(await workerHealth(t.config.redisUrl, t.config.queuePrefix)).toEqual({ healthy: false, workers: 1, missingSchedules: ['release-holds'] });
    await worker.checkSchedules();
    expect(await workerHealth(t.config.redisUrl, `${t.config.queuePrefix}_none`)).toMatchObject({ healthy: false, workers: 0 });
    await expect(workerHealth('redis://127.0.0.1:1', t.config.queuePrefix)).rejects.toThrow();
  });

  it('finds them missing when the check runs, and sets only those', async () => {
    expect(await worker.checkSchedules()).toBe('ok');
    await worker.queues.maintenance.removeJobScheduler('mature');
    expect(await worker.checkSchedules()).toBe('ok');
    expect(await schedulerIds()).toEqual(allIds);
  });
});

/** A TCP proxy to the test Redis that can drop every connection and refuse new ones: Redis going away and back. */
async function redisProxy(): Promise<{ url: string; down(): void; up(): void; close(): Promise<void> }> {
  const target = new URL(TEST_REDIS_URL);
  const sockets = new Set<net.Socket>();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) return void client.destroy();
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `redis://127.0.0.1:${port}`,
    down() {
      refusing = true;
      for (const s of sockets) s.destroy();
    },
    up() {
      refusing = false;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the worker when Redis goes away and comes back empty', () => {
  it('sets the schedules again when the connection is ready, without waiting for the periodic check; /readyz says so', { timeout: 30_000 }, async () => {
    const proxy = await redisProxy();
    const p = await buildTestApp({ env: { REDIS_URL: proxy.url } });
    // The periodic check an hour away: only the connection's 'ready' can bring the schedules back here.
    const w = await startWorker(p.container, createLogger('silent', 'worker'), { scheduleCheckMs: 3_600_000 });
    const inProcess = await buildApp({ container: p.container, logger: createLogger('silent', 'test'), worker: { schedules: w.schedules, metrics: w.metrics } });
    const readyz = async () => (await inProcess.inject({ method: 'GET', url: '/readyz' })).json();
    const ids = async () => (await w.queues.maintenance.getJobSchedulers(0, -1)).map((s) => s.key).sort();
    try {
      await expect.poll(() => w.schedules()).toBe('ok');
      expect(await readyz()).toMatchObject({ ready: true, status: 'ok', checks: { worker: { schedules: 'ok' } } });
      proxy.down();
      const keys = await redis.keys(`${p.config.queuePrefix}:*`);
      if (keys.length > 0) await redis.del(...keys); // Redis comes back as a fresh instance
      await expect.poll(() => w.schedules()).toBe('missing');
      const away = await inProcess.inject({ method: 'GET', url: '/readyz' });
      expect(away.statusCode).toBe(200); // PostgreSQL answers: the API stays in
      expect(away.json()).toMatchObject({ ready: true, status: 'degraded', checks: { redis: { status: 'degraded' }, worker: { schedules: 'missing' } } });
      proxy.up();
      await expect.poll(ids, { timeout: 10_000 }).toEqual(allIds);
      await expect.poll(() => w.schedules(), { timeout: 10_000 }).toBe('ok');
      expect(await readyz()).toMatchObject({ status: 'ok', checks: { redis: { status: 'ok' }, worker: { schedules: 'ok' } } });
    } finally {
      proxy.up();
      await inProcess.close();
      await w.queues.maintenance.obliterate({ force: true });
      await w.close();
      await p.close();
      await proxy.close();
    }
  });
});

describe('the worker stopping', () => {
  it('close() lets a running job finish before it resolves (SIGTERM: bounded by SHUTDOWN_GRACE_MS)', { timeout: 30_000 }, async () => {
    const p = await buildTestApp();
    const w = await startWorker(p.container, createLogger('silent', 'worker'));
    const locker = await p.container.database.pool.connect();
    const queue = new Queue('maintenance', { connection: { url: p.config.redisUrl }, prefix: p.config.queuePrefix });
    try {
      // The job's first read waits on this lock: it is running when the worker is told to stop.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE redemptions IN ACCESS EXCLUSIVE MODE');
      const job = await queue.add('release-holds', {});
      await expect.poll(() => job.getState()).toBe('active');
      let closed = false;
      const closing = w.close().then(() => (closed = true));
      await new Promise((r) => setTimeout(r, 500));
      expect(closed).toBe(false);
      await locker.query('COMMIT');
      await closing;
      expect(await job.getState()).toBe('completed');
      expect((await queue.getJob(job.id!))?.returnvalue).toEqual({ released: 0, points: 0 });
    } finally {
      await locker.query('ROLLBACK').catch(() => {});
      locker.release();
      await w.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await p.close();
    }
  });
});

describe('worker metrics on /metrics', () => {
  it('queue depth by state, job durations and failures by job name', { timeout: 20_000 }, async () => {
    const done = await worker.queues.maintenance.add('purge-idempotency-keys', {});
    const failed = await worker.queues.maintenance.add('no-such-job', {});
    await expect.poll(async () => [await done.getState(), await failed.getState()], { timeout: 10_000 }).toEqual(['completed', 'failed']);
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    const body = response.body;
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      expect(body).toMatch(new RegExp(`lojal_queue_jobs\\{queue="maintenance",state="${state}"\\} \\d+`));
    }
    expect(body).toMatch(/lojal_queue_jobs\{queue="maintenance",state="failed"\} [1-9]/);
    expect(body).toMatch(/lojal_job_duration_seconds_count\{queue="maintenance",name="purge-idempotency-keys",outcome="completed"\} [1-9]/);
    expect(body).toMatch(/lojal_job_failures_total\{queue="maintenance",name="no-such-job"\} 1/);
    expect(body).toContain('lojal_http_request_duration_seconds'); // the API's own metrics stay
  });

  it('e-mails sent and failed, by template', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'mail-ok');
    await putMember(t.app, shop, 'mail-refused');
    sink.refused.add('mail-refused@example.com');
    const matured = async (customerId: string, id: string) => {
      const memberId = (await t.container.members.get(shop.id, customerId)).id;
      const data = { customerId, points: 5, balance: { available: 5, pending: 0, held: 0 } };
      return t.container.mail.handleEvent({ id, shopId: shop.id, type: 'points.matured', occurredAt: new Date().toISOString(), memberId, data });
    };
    expect(await matured('mail-ok', 'evt_9000001')).toMatchObject({ status: 'sent' });
    expect(await matured('mail-refused', 'evt_9000002')).toMatchObject({ status: 'failed' });
    const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(body).toMatch(/lojal_mail_attempts_total\{template="pointsMatured",status="sent"\} 1\n/);
    expect(body).toMatch(/lojal_mail_attempts_total\{template="pointsMatured",status="failed"\} 1\n/);
  });
});
