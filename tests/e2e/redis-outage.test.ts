import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../services/core/events/signature.ts';
import { createLogger } from '../../services/core/common/logging.ts';
import { startWorker, type RunningWorker } from '../../services/worker/main.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { putMember } from '../helpers/members.ts';
import { freePort } from '../helpers/processes.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

// D16: Redis goes away while a storefront keeps sending orders. The API goes on answering 202 and stays ready
// (Redis `degraded`), the events wait in the outbox in PostgreSQL; once Redis is back (empty, as after a failover)
// every e-mail and every webhook goes out exactly once.
let redisPort: number;
let redis: ChildProcess | null = null;
let t: TestApp;
let worker: RunningWorker;
let sink: SmtpSink;
let receiver: Server;
const deliveries: { id: string; type: string; verified: boolean }[] = [];
let shop: TestShop;

function startRedis(): Promise<void> {
  const child = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  redis = child;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = async () => {
      const { Redis } = await import('ioredis');
      const probe = new Redis({ port: redisPort, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on('error', () => {});
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        resolve();
      } catch {
        probe.disconnect();
        if (Date.now() - started > 10_000) reject(new Error('redis-server did not start'));
        else setTimeout(poll, 50);
      }
    };
    void poll();
  });
}

async function stopRedis(): Promise<void> {
  const child = redis!;
  redis = null;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

const body = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    request.on('data', (c) => (text += c));
    request.on('end', () => resolve(text));
  });

beforeAll(async () => {
  redisPort = await freePort();
  await startRedis();
  sink = await startSmtpSink();
  receiver = createServer(async (request, response) => {
    const raw = await body(request);
    const event = JSON.parse(raw);
    let verified = true;
    try {
      verifySignature(request.headers['lojal-signature'] as string | undefined, Buffer.from(raw), [shop.webhookSecret], new Date());
    } catch {
      verified = false;
    }
    deliveries.push({ id: event.id, type: event.type, verified });
    response.writeHead(200).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  t = await buildTestApp({
    env: {
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      SMTP_URL: sink.url,
      WEBHOOK_ALLOW_PRIVATE: 'true', // the receiver is on 127.0.0.1
    },
  });
  worker = await startWorker(t.container, createLogger('silent', 'worker'), { relay: { idleMs: 50 } });
});

afterAll(async () => {
  await worker?.close();
  await t?.close();
  if (redis) await stopRedis();
  await sink.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const readiness = async () => (await t.app.inject({ method: 'GET', url: '/readyz' })).json();
const waiting = async () => Number((await t.container.database.pool.query('SELECT count(*) FROM outbox WHERE shop_id = $1', [shop.id])).rows[0].count);

describe('Redis away while orders arrive (D16)', () => {
  it('takes every order, keeps the side effects in the outbox, and sends each once Redis is back', { timeout: 90_000 }, async () => {
    shop = await createShop(t.app);
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    expect((await t.app.inject({ method: 'PUT', url: '/v1/webhooks', headers: shop.auth, payload: { url, enabled: true } })).statusCode).toBe(200);
    await putMember(t.app, shop, 'c1', { marketingConsent: true, locale: 'en' });
    await expect.poll(() => deliveries.filter((d) => d.type === 'member.created').length, { timeout: 15_000 }).toBe(1);

    await stopRedis();
    await expect.poll(async () => (await readiness()).checks?.redis?.status, { timeout: 10_000 }).toBe('degraded');
    const orders = ['r1', 'r2', 'r3', 'r4', 'r5'];
    for (const id of orders) {
      const response = await sendEvent(t.app, shop, envelope('order.completed', { order: order(id) }, new Date().toISOString()));
      expect(response.statusCode, response.body).toBe(202);
    }
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, status: 'degraded' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await waiting()).toBe(orders.length);
    expect(deliveries.filter((d) => d.type === 'points.earned')).toHaveLength(0);

    await startRedis(); // empty: whatever the old instance held is gone
    await expect.poll(() => deliveries.filter((d) => d.type === 'points.earned').length, { timeout: 45_000 }).toBe(orders.length);
    await expect.poll(() => sink.received.filter((m) => /earned/i.test(m.subject ?? '')).length, { timeout: 30_000 }).toBe(orders.length);
    expect(await waiting()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // nothing more arrives
    const ids = deliveries.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(deliveries.every((d) => d.verified)).toBe(true);
    expect(sink.received.filter((m) => /earned/i.test(m.subject ?? ''))).toHaveLength(orders.length);
  });
});
