/**
 * Storefront events end to end: signed `order.completed` events over HTTP (autocannon, 32 connections) into Lojal
 * as `npm start` runs it (API and worker in one process, every default: pool, rate limits, log level), each event a
 * new order: signature, dedup, member, award and ledger entry. Beside pgbench TPC-B (8 clients) in the same run,
 * before Lojal starts and again after it stops; the ratios are to the mean of the two.
 *
 *   npm run bench -- events            warmed: 2,000 customers' first orders, ANALYZE, 1,000 orders more, the
 *                                      worker done with all of them, then 10 s measured
 *   npm run bench -- events --fresh    a freshly migrated database, no warm-up, no ANALYZE, 10,000 customers
 *                                      (most orders are a new customer's first), 15 s
 *   BENCH_SECONDS=120 npm run bench -- events --fresh   the same for 120 s; the summary gives the last 30 s too
 *   BENCH_TIERS=1 ...                  a three-tier program (D9), a third of the members on each tier (warmed only)
 *   BENCH_SPLIT=1 ...                  the API and the worker as two processes (npm run start:api, start:worker)
 *   BENCH_API_ONLY=1 ...               the API alone (services/api/server.ts, no worker in the process): what the
 *                                      worker's share is; the outbox then waits for a worker, so this is not a total
 *
 * Besides the rate and latencies, the summary gives the CPU each event cost Lojal's process, PostgreSQL, Redis and
 * the load generator (from /proc), and how many events each shared write carried (group commit).
 *
 * Targets (issue: fast from the first minute): fresh ≥ 0.5× TPC-B, p99 ≤ 50 ms, no non-2xx; 120 s fresh ≥ 0.5×
 * over the last 30 s; warmed ≥ 0.8× at p99 ≤ 50 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { loadConfig } from '../services/config.ts';
import { createContainer } from '../services/core/container.ts';
import { createLogger } from '../services/core/common/logging.ts';
import { migrateDatabase } from '../services/db/migrate.ts';
import { QUEUE_NAMES } from '../services/worker/queues.ts';
import { createLoad, windowOf, type Window } from './events-load.ts';
import { dropDatabase, machine, pgbench, recreateDatabase, writeResults } from './lib.ts';

const FRESH = process.argv.includes('--fresh');
const SECONDS = Number(process.env.BENCH_SECONDS ?? (FRESH ? 15 : 10));
const CONNECTIONS = 32;
const DB = 'lojal_bench_events';
const PORT = 3917;
const CUSTOMERS = FRESH ? 10_000 : 2_000;
const TIERS = process.env.BENCH_TIERS === '1' && !FRESH;
const AFTER_ANALYZE = 1_000;
const THREE_TIERS = {
  basis: 'points' as const,
  window: 'rolling12Months' as const,
  retainMonths: 0,
  stepDown: false,
  tiers: [
    { id: 'member', name: 'Member', threshold: 0, multiplier: 1, benefits: [] },
    { id: 'silver', name: 'Silver', threshold: 1_000, multiplier: 1.5, benefits: ['Free shipping'] },
    { id: 'gold', name: 'Gold', threshold: 5_000, multiplier: 2, benefits: ['Free shipping', 'Early access'] },
  ],
};

async function waitForReady(url: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('Lojal did not become ready');
}

export async function benchEvents(): Promise<void> {
  const baseline = await pgbench(8, Math.min(SECONDS, 15));
  const url = await recreateDatabase(DB);
  // What `npm start` is given in this run: where its database is, its port, and a queue prefix of its own; every
  // other setting is its default. The operator token and secret key are set so nothing is written under .lojal/.
  const env = {
    DATABASE_URL: url,
    LOJAL_ADMIN_TOKEN: randomBytes(24).toString('hex'),
    LOJAL_SECRET_KEY: randomBytes(32).toString('hex'),
    PORT: String(PORT),
    HOST: '127.0.0.1',
    QUEUE_PREFIX: `lojal-bench-events-${process.pid}`,
  };
  const container = createContainer(loadConfig(env), { logger: createLogger('silent', 'bench') });
  await migrateDatabase(container.database);
  const { shop, apiKey, webhookSecret } = await container.shops.createShop({ name: 'bench', currency: 'PLN' });
  if (TIERS) await container.tiers.update(shop.id, THREE_TIERS);
  // BENCH_NODE_ARGS: extra Node flags for Lojal's process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const apiOnly = process.env.BENCH_API_ONLY === '1';
  const alone = apiOnly || process.env.BENCH_SPLIT === '1';
  const start = (script: string) => spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const server = start(alone ? 'services/api/server.ts' : 'services/start.ts');
  const worker = process.env.BENCH_SPLIT === '1' ? start('services/worker/main.ts') : null;
  const base = `http://127.0.0.1:${PORT}`;
  try {
    await waitForReady(base);
    const load = createLoad({ base, apiKey, webhookSecret, connections: CONNECTIONS, customers: CUSTOMERS, presigned: CUSTOMERS + AFTER_ANALYZE + SECONDS * 3_000 });
    if (!FRESH) {
      // Warm-up, as pgbench -i is for TPC-B: every customer's first order (it creates the member), then ANALYZE.
      await load.send({ amount: CUSTOMERS });
      if (TIERS) {
        await container.database.pool.query(`
          UPDATE members SET tier_id = (ARRAY['member', 'silver', 'gold'])[1 + abs(hashtext(id)) % 3], tier_since = now(),
                 version = version + 1 WHERE shop_id = $1`, [shop.id]);
        await container.database.pool.query('VACUUM members');
      }
      await container.database.pool.query('ANALYZE');
      // ANALYZE drops the plans made before it: a second round makes the new ones, as a service running for a while
      // has them. Then the warm-up's own consequences (its outbox relayed, its jobs done) finish before the clock
      // starts, so the run measures the service doing the measured work only (before, the worker was still relaying
      // the warm-up's 2,000 events in the run's first second).
      await load.send({ amount: AFTER_ANALYZE });
      if (!apiOnly) await settled(container.database.pool, env.QUEUE_PREFIX); // with no worker, the outbox only grows
    }
    const before = await eventPaths(base);
    const cpuBefore = await processCpuMs(server.pid!);
    const split = await cpuByProcess();
    const { result, seconds } = await load.send({ duration: SECONDS });
    const cpuMs = (await processCpuMs(server.pid!)) - cpuBefore;
    const cpu = cpuSplit(split, await cpuByProcess(), server.pid!, worker?.pid);
    const after = await eventPaths(base);
    const paths = Object.fromEntries(Object.entries(after).map(([path, count]) => [path, count - (before[path] ?? 0)]));
    const members = Number((await container.database.pool.query('SELECT count(*) FROM members')).rows[0].count);
    const check = await container.ledger.check(null);
    if (!check.ok) console.error('ledger check differences:', JSON.stringify(check.differences.slice(0, 5)));
    // TPC-B again once Lojal has stopped: a machine whose speed changes during the run (a shared host does) moves
    // both, and the ratios are against the mean of the two.
    await stop([server, worker]);
    const baselineAfter = await pgbench(8, Math.min(SECONDS, 15));
    const tps = Math.round((baseline.tps + baselineAfter.tps) / 2);
    const whole = windowOf(seconds, 0, SECONDS);
    const last30 = SECONDS >= 60 ? windowOf(seconds, SECONDS - 30, SECONDS) : null;
    const ratio = (w: Window) => Number((w.perSecond / tps).toFixed(2));
    const row = (label: string, w: Window) =>
      `| ${label} | ${w.perSecond} | ${ratio(w)}× | ${w.p50} | ${w.p99} | ${w.max} | ${w.non2xx} |`;
    const met = FRESH
      ? ratio(whole) >= 0.5 && whole.p99 <= 50 && whole.non2xx === 0 && (!last30 || ratio(last30) >= 0.5)
      : ratio(whole) >= 0.8 && whole.p99 <= 50;
    const summary = [
      `# Events benchmark${FRESH ? ' (--fresh)' : ''} (${new Date().toISOString()})`,
      '',
      `Machine: ${JSON.stringify(machine())}. ${SECONDS} s, ${CONNECTIONS} connections (autocannon), Lojal as \`npm start\` runs it`,
      `(services/start.ts: API and worker in one process, default pool, rate limits and log level).`,
      `Each request: a new signed \`order.completed\` for one of ${CUSTOMERS} customers, two lines.`,
      FRESH
        ? 'A freshly migrated database: no warm-up, no ANALYZE; most orders are a new customer\'s first.'
        : `Warm-up first (not measured): each customer's first order, which creates the member, then ANALYZE, ${AFTER_ANALYZE} orders more, and the worker done with all of them.`,
      `Tiers: ${TIERS ? 'three (1×, 1.5×, 2×), a third of the members on each' : 'none'}.`,
      '',
      `pgbench TPC-B (8 clients, same server, same run): ${baseline.tps} tps before Lojal's run, ${baselineAfter.tps} tps after; the ratios are to their mean, **${tps} tps**.`,
      '',
      '| window | events/s (2xx) | × TPC-B | p50 ms | p99 ms | max ms | non-2xx |',
      '|---|---|---|---|---|---|---|',
      row(`all ${SECONDS} s`, whole),
      ...(last30 ? [row('last 30 s', last30)] : []),
      '',
      `Errors: ${result.errors}. Members at the end: ${members}. Ledger check: ${check.ok ? 'clean' : 'DIFFERENCES'}.`,
      `Lojal's process used ${(cpuMs / 1000).toFixed(1)} s of CPU in the ${SECONDS} s: ${(cpuMs / Math.max(1, whole.accepted)).toFixed(2)} ms per event.`,
      `CPU per event on the machine (ms): ${Object.entries(cpu).map(([k, v]) => `${k} ${(v / Math.max(1, whole.accepted)).toFixed(2)}`).join(', ')}.`,
      `Events by path during the run: ${Object.entries(paths).map(([path, count]) => `${path} ${count}`).join(', ') || 'none'}.`,
      `Targets (${FRESH ? '≥ 0.5× TPC-B, p99 ≤ 50 ms, no non-2xx' + (last30 ? ', last 30 s ≥ 0.5×' : '') : '≥ 0.8× TPC-B at p99 ≤ 50 ms'}): ${met ? 'met' : 'NOT met'}.`,
      ...(load.signedLate() > 0 ? ['', `${load.signedLate()} bodies were signed during the run.`] : []),
      '',
    ].join('\n');
    const perSecond = seconds.map((s) => s?.ok ?? 0);
    const results = { machine: machine(), fresh: FRESH, tiers: TIERS, seconds: SECONDS, connections: CONNECTIONS, customers: CUSTOMERS, baseline, baselineAfter, tps, whole, last30, perSecond, cpuMsByProcess: cpu, cpuMsPerEvent: Number((cpuMs / Math.max(1, whole.accepted)).toFixed(3)), errors: result.errors, members, ledgerCheck: check.ok, paths };
    // A long fresh run (BENCH_SECONDS ≥ 60) keeps its own latest summary beside the 15 s one.
    const path = await writeResults(FRESH ? (SECONDS >= 60 ? 'events-fresh-long' : 'events-fresh') : 'events', results, summary);
    console.log(summary);
    console.log(`written to ${path}`);
  } finally {
    await stop([server, worker]);
    await container.close();
    if (!process.env.BENCH_KEEP_DB) await dropDatabase(DB);
    await dropRedisKeys(env.QUEUE_PREFIX);
  }
}

/** Stops Lojal's processes (SIGTERM, as a deployment would) and waits for them to exit; one already gone is left. */
async function stop(children: (ChildProcess | null)[]): Promise<void> {
  for (const child of children) {
    if (!child || child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** Waits until the outbox is empty and the worker has no relayed job left to do (at most a minute). */
async function settled(pool: Pool, prefix: string): Promise<void> {
  const queue = new Queue(QUEUE_NAMES.outbox, { connection: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }, prefix });
  try {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const outbox = Number((await pool.query('SELECT count(*) FROM outbox')).rows[0].count);
      const jobs = Object.values(await queue.getJobCounts('wait', 'active', 'prioritized', 'delayed')).reduce((a, b) => a + b, 0);
      if (outbox === 0 && jobs === 0) return;
    }
    throw new Error('the warm-up did not settle in a minute');
  } finally {
    await queue.close();
  }
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
async function processCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** The run's keys in Redis (its queues: jobs the worker had not taken when it stopped), under its own prefix. */
async function dropRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

/** CPU ms used so far by every process of the machine, by pid, with its command line (Linux /proc). */
async function cpuByProcess(): Promise<Map<number, { ms: number; command: string }>> {
  const found = new Map<number, { ms: number; command: string }>();
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      found.set(pid, { ms: await processCpuMs(pid), command });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** What Lojal, PostgreSQL, Redis and this load generator used between two readings (ms). */
function cpuSplit(before: Map<number, { ms: number }>, after: Map<number, { ms: number; command: string }>, lojal: number, worker?: number) {
  const split = { lojal: 0, worker: 0, postgres: 0, redis: 0, load: 0, other: 0 };
  for (const [pid, { ms, command }] of after) {
    const used = ms - (before.get(pid)?.ms ?? 0);
    const group = pid === lojal ? 'lojal' : pid === worker ? 'worker' : pid === process.pid ? 'load' : command.startsWith('postgres') ? 'postgres' : command.startsWith('redis-server') ? 'redis' : 'other';
    split[group] += used;
  }
  return split;
}

/** Events applied so far, by path (optimistic: lock-free; locked: a transaction), from the API's own /metrics. */
async function eventPaths(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^lojal_storefront_events_total\{[^}]*path="(\w+)"[^}]*\} (\d+)/gm)) {
    counts[match[1]!] = (counts[match[1]!] ?? 0) + Number(match[2]);
  }
  for (const match of text.matchAll(/^lojal_group_commit_(statements|events)_total\{statement="write"\} (\d+)/gm)) {
    counts[`shared writes: ${match[1]}`] = Number(match[2]);
  }
  return counts;
}
