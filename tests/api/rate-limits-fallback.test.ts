import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { TEST_REDIS_URL } from '../helpers/env.ts';
import { expectEveryRefusalWellFormed } from '../helpers/rate-limits.ts';

// D21: without Redis (away, or too slow to answer) each process limits on its own, by the same budgets: requests are
// neither refused for it, nor held, nor failed.

const closing: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

/** A TCP proxy to the test Redis that can stop passing the client's commands on (a Redis that does not answer). */
async function stallableRedis(): Promise<{ url: string; stall(): void; resume(): void }> {
  const target = new URL(TEST_REDIS_URL);
  let stalled = false;
  const held: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => (client.destroy(), upstream.destroy()));
    }
    client.on('data', (chunk) => (stalled ? held.push(() => upstream.write(chunk)) : upstream.write(chunk)));
    upstream.on('data', (chunk) => client.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closing.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stall: () => (stalled = true),
    resume: () => {
      stalled = false;
      for (const send of held.splice(0)) send();
    },
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function appWith(env: Record<string, string>, lines: string[] = []): Promise<TestApp> {
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const t = await buildTestApp({ env: { LOG_LEVEL: 'info', ...env }, logStream });
  closing.push(() => t.close());
  return t;
}

/** GET /v1/shop `count` times in a row, each timed. */
async function timedCalls(t: TestApp, shop: TestShop, count: number): Promise<{ answers: LightMyRequestResponse[]; slowestMs: number }> {
  const answers: LightMyRequestResponse[] = [];
  let slowestMs = 0;
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    answers.push(await t.app.inject({ method: 'GET', url: '/v1/shop', headers: shop.auth }));
    slowestMs = Math.max(slowestMs, performance.now() - started);
  }
  return { answers, slowestMs };
}

describe('rate limits without Redis', () => {
  it('a Redis that cannot be reached: each process limits on its own memory, by the same budget, without delay', async () => {
    const t = await appWith({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, RATE_LIMIT_PER_MINUTE: '6', RATE_LIMIT_BURST: '3' });
    const shop = await createShop(t.app);
    const { answers, slowestMs } = await timedCalls(t, shop, 5);
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 429, 429]);
    expectEveryRefusalWellFormed(answers);
    expect(slowestMs).toBeLessThan(500);
    expect(t.container.redis.status).not.toBe('ready');
  });

  it('a Redis that stops answering: 50 ms, then on from where its budget stood; one line in the log each way', { timeout: 15_000 }, async () => {
    const redis = await stallableRedis();
    const lines: string[] = [];
    const t = await appWith({ REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '6', RATE_LIMIT_BURST: '5' }, lines);
    for (let i = 0; i < 100 && t.container.redis.status !== 'ready'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const shop = await createShop(t.app);
    const direct = new Redis(TEST_REDIS_URL);
    closing.push(() => direct.quit());

    // Two of the five through Redis: the bucket is there.
    expect((await timedCalls(t, shop, 2)).answers.map((r) => r.statusCode)).toEqual([200, 200]);
    const buckets = await direct.keys(`${t.config.queuePrefix}:rate-limit:api:*`);
    expect(buckets.filter((key) => !key.endsWith(':operator'))).toHaveLength(1);

    redis.stall();
    const stalled = await timedCalls(t, shop, 5);
    // Three left, then refused: the process went on from what Redis last said, not from a whole budget.
    expect(stalled.answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 429, 429]);
    expectEveryRefusalWellFormed(stalled.answers);
    expect(stalled.slowestMs).toBeLessThan(500);
    const down = lines.filter((l) => l.includes('Rate limits are counted in this process only'));
    expect(down).toHaveLength(1);
    expect(down[0]).not.toMatch(/key_|rate-limit:|127\.0\.0\.1/); // no key id, bucket or address

    redis.resume();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the pause after a failure
    // Redis counted the two before and the one it got late: two left there.
    expect((await timedCalls(t, shop, 1)).answers[0]!.statusCode).toBe(200);
    expect(lines.filter((l) => l.includes('Rate limits are shared through Redis again'))).toHaveLength(1);
  });
});
