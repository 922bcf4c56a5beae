import { connect, createServer } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_REDIS_URL } from '../helpers/env.ts';
import { ROOT, cleanEnv, runQueues, freePort, npmStart, run, sharedTempDir, waitForOk, type RunResult } from '../helpers/processes.ts';

const dirs: string[] = [];
const queues = runQueues(inject('runId'));
let sharedDir = '';
beforeAll(async () => {
  sharedDir = await sharedTempDir();
  dirs.push(sharedDir);
});
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  // The worker's schedules live in Redis under the run's queue prefix: leave nothing behind.
  await queues.clear(TEST_REDIS_URL);
});

describe('npm start with nothing configured', () => {
  it('starts an embedded PostgreSQL, serves the API and closes cleanly on SIGTERM', { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lojal-start-'));
    dirs.push(dataDir);
    const [port, pgPort] = [await freePort(), await freePort()];
    const { child, output, exited } = npmStart(
      ROOT,
      cleanEnv({
        PORT: String(port),
        EMBEDDED_PG_PORT: String(pgPort),
        LOJAL_DATA_DIR: dataDir,
        LOJAL_SHARED_DIR: sharedDir,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: queues.prefix(`smoke${port}`),
      }),
    );
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForOk(`${base}/readyz`, child, output, 90_000);

      const token = (await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim();
      const created = await fetch(`${base}/v1/admin/shops`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Smoke', currency: 'PLN' }),
      });
      expect(created.status).toBe(201);
      const { apiKey } = (await created.json()) as { apiKey: string };
      const shop = await fetch(`${base}/v1/shop`, { headers: { authorization: `Bearer ${apiKey}` } });
      expect(shop.status).toBe(200);
      const docs = await fetch(`${base}/docs/`);
      expect(docs.status).toBe(200);
      expect(output()).toContain('embedded PostgreSQL started');
      expect(output()).not.toContain(apiKey);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output()).toContain('"msg":"start closed"');
    // The embedded PostgreSQL went down with it: nothing is left listening.
    await expect(connects(pgPort)).resolves.toBe(false);
  });
});

describe('npm start without Redis', () => {
  it('serves the API, reports Redis in /readyz, and says in one line how to get Redis', { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lojal-start-'));
    dirs.push(dataDir);
    const [port, pgPort] = [await freePort(), await freePort()];
    const { child, output, exited } = npmStart(
      ROOT,
      cleanEnv({
        PORT: String(port),
        EMBEDDED_PG_PORT: String(pgPort),
        LOJAL_DATA_DIR: dataDir,
        LOJAL_SHARED_DIR: sharedDir,
        REDIS_URL: 'redis://127.0.0.1:1',
        QUEUE_PREFIX: queues.prefix(`noredis${port}`),
      }),
    );
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForOk(`${base}/healthz`, child, output, 90_000);
      const ready = await fetch(`${base}/readyz`);
      // Orders are still taken without Redis: ready, Redis degraded, and the in-process worker's schedules missing.
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        ready: true,
        status: 'degraded',
        checks: { redis: { ok: false, status: 'degraded' }, worker: { schedules: 'missing' } },
      });
      await new Promise((r) => setTimeout(r, 1500)); // the connection keeps retrying meanwhile
      const lines = output().split('\n').filter((l) => l.includes('Redis is not answering'));
      expect(lines).toHaveLength(1); // once for the process, not per connection or per retry
      expect(lines[0]).toContain('redis-server');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('npm start when the embedded PostgreSQL cannot start', () => {
  it('ends with one line saying the port is in use and what to do, exit 1, no stack trace', { timeout: 120_000 }, async () => {
    const dataDir = await tempDir();
    const pgPort = await freePort();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(pgPort, '127.0.0.1', resolve));
    try {
      const line = expectOneLineFailure(await startFailing(dataDir, pgPort));
      expect(line).toContain(`could not listen on 127.0.0.1:${pgPort}, the port is in use`);
      expect(line).toContain('set EMBEDDED_PG_PORT to a free port');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('ends with one line naming the damaged cluster and PostgreSQL\'s reason, not the port', { timeout: 120_000 }, async () => {
    const dataDir = await tempDir();
    const clusterDir = path.join(dataDir, 'pg');
    await mkdir(clusterDir);
    await writeFile(path.join(clusterDir, 'PG_VERSION'), '18\n'); // a cluster in name, nothing else in it
    const line = expectOneLineFailure(await startFailing(dataDir, await freePort()));
    expect(line).toContain(`embedded PostgreSQL in ${clusterDir} did not start: `);
    expect(line).toContain('set DATABASE_URL');
    expect(line).not.toMatch(/port/i);
  });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lojal-start-'));
  dirs.push(dir);
  return dir;
}

function startFailing(dataDir: string, pgPort: number): Promise<RunResult> {
  return run(
    'npm',
    ['start', '--silent'],
    cleanEnv({
      PORT: '1', // never reached: the start stops at the database
      EMBEDDED_PG_PORT: String(pgPort),
      LOJAL_DATA_DIR: dataDir,
      LOJAL_SHARED_DIR: sharedDir,
      REDIS_URL: TEST_REDIS_URL,
    }),
    90_000,
  );
}

/** Exit 1, no stack trace, and stderr ends with the one line that says what failed: returns that line. */
function expectOneLineFailure(result: RunResult): string {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  const failures = result.stderr.split('\n').filter((line) => line.includes('failed to start'));
  expect(failures, result.stderr).toHaveLength(1);
  expect(result.stderr.trim().split('\n').at(-1)).toBe(failures[0]);
  expect(failures[0]).toMatch(/^lojal start: failed to start: /);
  return failures[0]!;
}


function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
