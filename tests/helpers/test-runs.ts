import { createHash } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type pg from 'pg';

/**
 * Which `npm test` run made a database or a Redis key, and whether that run is still going. Several runs may
 * share one PostgreSQL and one Redis (two clones on one machine): each names what it makes after its run id, and
 * clears up only what it made or what a run that has provably ended left behind.
 *
 * A run id is `<where>x<pid>x<start>`: the pid of the run's main vitest process, that process's start time (clock
 * ticks after boot, from /proc; 0 where there is no /proc) so that a pid used again by another process does not
 * pass for the run, and `where`, six hex digits standing for the set of processes that pid belongs to (this boot
 * and this PID namespace on Linux, the host name elsewhere). A run elsewhere is never judged: its pid means
 * nothing here.
 */
export interface TestRun {
  where: string;
  pid: number;
  start: number;
}

/** Databases and Redis keys of every run start with this, then the run id. */
export const RUN_PREFIX = 'lojal_t_';
const TEMPLATE_PREFIX = 'lojal_tmpl_';
const NAME = /^lojal_(?:t|tmpl)_([0-9a-f]{6})x(\d+)x(\d+)(?:_|$)/;
/** Names from before run ids said whose they were (`lojal_t_<pid base 36><6 hex>_…`): dropped once a day old. */
const LEGACY_NAME = /^lojal_(?:t|tmpl)_[0-9a-z]+$|^lojal_t_[0-9a-z]+_[0-9a-z]+_\d+$/;

export function currentRun(pid = process.pid): TestRun {
  return { where: where(), pid, start: startOf(pid) ?? 0 };
}

export function runId(run: TestRun): string {
  return `${run.where}x${run.pid}x${run.start}`;
}

export function templateName(run: TestRun): string {
  return `${TEMPLATE_PREFIX}${runId(run)}`;
}

/** The run a database name or Redis key belongs to, or null when it names none. */
export function runOf(name: string): TestRun | null {
  const match = NAME.exec(name);
  return match ? { where: match[1]!, pid: Number(match[2]), start: Number(match[3]) } : null;
}

/** true: the run's process is alive; false: provably ended; null: a run elsewhere, which cannot be told from here. */
export function isAlive(run: TestRun): boolean | null {
  if (run.where !== where()) return null;
  if (hasProc()) {
    const start = startOf(run.pid);
    return start !== null && start === run.start;
  }
  try {
    process.kill(run.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Drops the databases of runs that have provably ended (killed before their teardown); a live run's, or one
 * elsewhere, stays whatever its age. Returns the names dropped.
 */
export async function dropLeftovers(admin: pg.Client): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string; legacy_age_ok: boolean }>(
    `SELECT datname,
            coalesce((pg_stat_file('base/' || oid || '/PG_VERSION', true)).modification < now() - interval '1 day', false)
              AS legacy_age_ok
       FROM pg_database WHERE starts_with(datname, 'lojal_t_') OR starts_with(datname, 'lojal_tmpl_')`,
  ).catch(() => admin.query<{ datname: string; legacy_age_ok: boolean }>(
    // pg_stat_file needs superuser or pg_read_server_files: without it, legacy names are never old enough.
    `SELECT datname, false AS legacy_age_ok FROM pg_database WHERE starts_with(datname, 'lojal_t_') OR starts_with(datname, 'lojal_tmpl_')`,
  ));
  const dropped: string[] = [];
  for (const { datname, legacy_age_ok: legacyAgeOk } of rows) {
    const run = runOf(datname);
    const ended = run ? isAlive(run) === false : LEGACY_NAME.test(datname) && legacyAgeOk;
    if (!ended) continue;
    await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    dropped.push(datname);
  }
  return dropped;
}

/**
 * Deletes the Redis keys (queue prefixes `lojal_t_<run>_…`) of runs that have provably ended, and with `own` those
 * of this run too (its teardown). Best effort: without Redis there is nothing to clear. Returns how many went.
 */
export async function dropRedisLeftovers(url: string, own: TestRun | null): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  redis.on('error', () => {});
  let deleted = 0;
  try {
    await redis.connect();
    const ownPrefix = own ? `${RUN_PREFIX}${runId(own)}_` : null;
    for await (const keys of redis.scanStream({ match: `${RUN_PREFIX}*`, count: 1_000 })) {
      const doomed = (keys as string[]).filter((key) => {
        if (ownPrefix && key.startsWith(ownPrefix)) return true;
        const run = runOf(key);
        return run !== null && isAlive(run) === false;
      });
      if (doomed.length > 0) deleted += await redis.del(...doomed);
    }
  } catch {
    // No Redis, or it went away: the tests that need it say so themselves.
  } finally {
    redis.disconnect();
  }
  return deleted;
}

let whereCache: string | undefined;

function where(): string {
  whereCache ??= createHash('sha256')
    .update(hasProc() ? `${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}/${readlinkSync('/proc/self/ns/pid')}` : hostname())
    .digest('hex')
    .slice(0, 6);
  return whereCache;
}

function hasProc(): boolean {
  try {
    readFileSync('/proc/self/stat');
    readlinkSync('/proc/self/ns/pid');
    return true;
  } catch {
    return false;
  }
}

/** A process's start time in clock ticks after boot (field 22 of /proc/<pid>/stat), or null if there is none. */
function startOf(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = Number(fields[19]);
  return Number.isSafeInteger(start) ? start : null;
}
