import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_ADMIN_URL, TEST_REDIS_URL } from '../helpers/env.ts';
import { RUN_PREFIX, currentRun, dropLeftovers, dropRedisLeftovers, isAlive, runId, runOf, templateName, type TestRun } from '../helpers/test-runs.ts';

// Two `npm test` runs may share one PostgreSQL and one Redis (two clones on one machine). Each run's set-up
// clears what ended runs left behind; these tests make a second "run" out of a live child process and check
// that a set-up spares everything of a run that is still going, and clears a run once its process has ended.
let admin: pg.Client;
let redis: Redis;
beforeAll(async () => {
  admin = new pg.Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect();
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  await admin.end();
  redis.disconnect();
});

const hasProc = existsSync('/proc/self/stat');

/** Another run, as far as names go: a live process of its own, which the test ends when it likes. */
function otherRun(): { child: ChildProcess; run: TestRun; end(): Promise<void> } {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    run: currentRun(child.pid!),
    async end() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The databases a run makes: its template and a clone of a test file. */
async function databasesOf(run: TestRun): Promise<string[]> {
  const names = [templateName(run), `${RUN_PREFIX}${runId(run)}_w1_1`];
  for (const name of names) await admin.query(`CREATE DATABASE ${name}`);
  return names;
}

async function existing(names: string[]): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY 1', [names]);
  return rows.map((r) => r.datname);
}

describe('test runs on shared servers', () => {
  it("names this run's databases and keys after it, and knows it is alive", () => {
    const own = runOf(`${RUN_PREFIX}${inject('runId')}_x_1`);
    expect(own).not.toBeNull();
    expect(runId(own!)).toBe(inject('runId'));
    expect(runOf(inject('templateDatabase'))).toEqual(own);
    expect(isAlive(own!)).toBe(true);
    expect(runOf('lojal_t_abc123_1_2')).toBeNull(); // a name from before run ids: no run of ours
  });

  it("a set-up spares a live run's databases and drops them once that run has ended", async () => {
    const other = otherRun();
    const names = await databasesOf(other.run);
    try {
      const dropped = await dropLeftovers(admin);
      for (const name of names) expect(dropped).not.toContain(name);
      expect(await existing(names)).toEqual([...names].sort());
      expect(await existing([inject('templateDatabase')])).toEqual([inject('templateDatabase')]);
    } finally {
      await other.end();
    }
    expect(isAlive(other.run)).toBe(false);
    expect(await dropLeftovers(admin)).toEqual(expect.arrayContaining(names));
    expect(await existing(names)).toEqual([]);
  });

  it.runIf(hasProc)('a pid used again by another process is not the run that had it', async () => {
    const other = otherRun();
    try {
      const impostor = { ...other.run, start: other.run.start + 1 }; // the same pid, started at another time
      const names = await databasesOf(impostor);
      expect(isAlive(impostor)).toBe(false);
      expect(await dropLeftovers(admin)).toEqual(expect.arrayContaining(names));
      expect(await existing(names)).toEqual([]);
    } finally {
      await other.end();
    }
  });

  it('never judges a run elsewhere (another machine or PID namespace), whatever its pid', async () => {
    const other = otherRun();
    await other.end();
    const elsewhere = { ...other.run, where: other.run.where === '000000' ? '000001' : '000000' };
    const names = await databasesOf(elsewhere);
    try {
      expect(isAlive(elsewhere)).toBeNull();
      await dropLeftovers(admin);
      expect(await existing(names)).toEqual([...names].sort());
    } finally {
      for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    }
  });

  it("a set-up spares a live run's Redis keys and deletes an ended run's", async () => {
    const live = otherRun();
    const ended = otherRun();
    await ended.end();
    const key = (run: TestRun) => `${RUN_PREFIX}${runId(run)}_q:maintenance:meta`;
    try {
      await redis.set(key(live.run), 'live');
      await redis.set(key(ended.run), 'ended');
      await dropRedisLeftovers(TEST_REDIS_URL, null);
      expect(await redis.get(key(live.run))).toBe('live');
      expect(await redis.get(key(ended.run))).toBeNull();
    } finally {
      await live.end();
      await redis.del(key(live.run));
    }
  });
});
