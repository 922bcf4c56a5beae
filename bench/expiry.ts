/**
 * Expiry (D8): the `expire` sweep (container.expiry.expireDue, the core function behind the worker's schedule and
 * POST /v1/jobs/expire) over BENCH_EXPIRY_LOTS lots (1,000,000 by default) of BENCH_EXPIRY_MEMBERS members
 * (100,000), seeded with set-based SQL, beside one raw set-based statement doing the same update + insert on a copy
 * of the same data in the same run. Meanwhile 4 clients read balances (GET /v1/members/{id}) from the API as its
 * own process. Target (issue 11): the sweep ≤ 2× the raw statement, balance reads p99 < 50 ms.
 *
 *   npm run bench -- expiry
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../services/config.ts';
import { createContainer } from '../services/core/container.ts';
import { createLogger } from '../services/core/common/logging.ts';
import { migrateDatabase } from '../services/db/migrate.ts';
import { cloneDatabase, dropDatabase, machine, percentile, recreateDatabase, urlFor, writeResults } from './lib.ts';

const LOTS = Number(process.env.BENCH_EXPIRY_LOTS ?? 1_000_000);
const MEMBERS = Number(process.env.BENCH_EXPIRY_MEMBERS ?? Math.max(1, Math.round(LOTS / 10)));
const DB = 'lojal_bench_expiry';
const RAW_DB = 'lojal_bench_expiry_raw';
const RAW_LOADED_DB = 'lojal_bench_expiry_raw_loaded';
const PORT = 3918;
const READERS = 4;
const AS_OF = new Date('2027-01-01T00:00:00Z');
const FULL_CHECK = process.env.BENCH_EXPIRY_CHECK !== '0';

/**
 * Members with `available` = their lots, lots expiring over 2026 (each member's lots on different days), written
 * with set-based SQL as a consistent ledger (an adjustment entry, lot and movement per lot). Also used by the test
 * of the sweep's plans (tests/integration/expiry-plans.test.ts).
 */
export async function seed(client: pg.Client, shopId: string, { lots = LOTS, members = MEMBERS } = {}): Promise<void> {
  const at = '2025-06-01T00:00:00Z';
  await client.query(`
    INSERT INTO members (shop_id, id, customer_id, available, lifetime_earned, last_activity_at, created_at, updated_at)
    SELECT $1, 'mem_b' || m, 'c' || m, 0, 0, $2, $2, $2 FROM generate_series(0, $3 - 1) m`, [shopId, at, members]);
  await client.query(`
    CREATE TEMP TABLE seed_lots AS
    SELECT n, 'mem_b' || (n % $1) AS member_id, 'lot_b' || n AS lot_id, 'ent_b' || n AS entry_id, 10 + (n % 7) AS points,
           timestamptz '2026-01-01' + ((n::bigint * 7919) % 365) * interval '1 day' AS expires_at
      FROM generate_series(0, $2 - 1) n`, [members, lots]);
  await client.query(`
    INSERT INTO ledger_entries (shop_id, id, member_id, kind, from_bucket, to_bucket, points, actor, lot_id, expires_at, created_at)
    SELECT $1, entry_id, member_id, 'adjust', NULL, 'available', points, 'bench', lot_id, expires_at, $2 FROM seed_lots ORDER BY n`, [shopId, at]);
  await client.query(`
    INSERT INTO lots (shop_id, id, member_id, entry_id, amount, remaining, expires_at, created_at)
    SELECT $1, lot_id, member_id, entry_id, points, points, expires_at, $2 FROM seed_lots`, [shopId, at]);
  await client.query(`
    INSERT INTO lot_movements (shop_id, member_id, lot_id, entry_id, points) SELECT $1, member_id, lot_id, entry_id, points FROM seed_lots`, [shopId]);
  await client.query(`
    UPDATE members m SET available = s.points, lifetime_earned = s.points
      FROM (SELECT member_id, sum(points) AS points FROM seed_lots GROUP BY member_id) s WHERE m.shop_id = $1 AND m.id = s.member_id`, [shopId]);
  await client.query('DROP TABLE seed_lots');
  await client.query('VACUUM ANALYZE');
}

/** The same work as one raw statement: every due lot's remainder out, one entry, movement and outbox event per lot, balances. */
const RAW = `
  WITH due AS (
    SELECT l.id, l.member_id, l.remaining AS points FROM lots l JOIN members m ON m.shop_id = l.shop_id AND m.id = l.member_id
     WHERE l.shop_id = $1 AND l.remaining > 0 AND l.expires_at <= $2 AND m.available > 0
  ),
  entries AS (
    INSERT INTO ledger_entries (shop_id, id, member_id, kind, from_bucket, to_bucket, points, actor, created_at)
    SELECT $1, 'ent_x' || d.id, d.member_id, 'expire', 'available', NULL, d.points, 'expire', now() FROM due d
  ),
  movements AS (
    INSERT INTO lot_movements (shop_id, member_id, lot_id, entry_id, points) SELECT $1, d.member_id, d.id, 'ent_x' || d.id, -d.points FROM due d
  ),
  outbox_rows AS (
    INSERT INTO outbox (shop_id, type, member_id, entry_id, occurred_at) SELECT $1, 'points.expired', d.member_id, 'ent_x' || d.id, now() FROM due d
  ),
  lot_changes AS (UPDATE lots SET remaining = 0 FROM due d WHERE lots.shop_id = $1 AND lots.id = d.id),
  member_changes AS (
    UPDATE members SET available = members.available - s.points, lifetime_expired = members.lifetime_expired + s.points, version = members.version + 1
      FROM (SELECT member_id, sum(points) AS points FROM due GROUP BY member_id) s WHERE members.shop_id = $1 AND members.id = s.member_id
  )
  SELECT count(*)::int AS lots FROM due`;

async function timeRaw(shopId: string, database: string): Promise<{ seconds: number; lots: number }> {
  const client = new pg.Client({ connectionString: urlFor(database) });
  await client.connect();
  try {
    const started = performance.now();
    const { rows } = await client.query(RAW, [shopId, AS_OF]);
    return { seconds: (performance.now() - started) / 1000, lots: rows[0].lots };
  } finally {
    await client.end();
  }
}

/** Balance reads from `READERS` clients until `done`; latencies in ms. */
async function readBalances(base: string, apiKey: string, done: () => boolean): Promise<{ latencies: number[]; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: READERS }, async () => {
      while (!done()) {
        const started = performance.now();
        const response = await fetch(`${base}/v1/members/c${Math.floor(Math.random() * MEMBERS)}`, { headers: { authorization: `Bearer ${apiKey}` } });
        await response.arrayBuffer();
        if (response.ok) latencies.push(performance.now() - started);
        else errors++;
        await new Promise((r) => setTimeout(r, 5));
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), errors };
}

/** Each lot expired exactly once (one negative movement), all of it, and the members' figures agree. */
async function verify(pool: pg.Pool, shopId: string) {
  const { rows } = await pool.query(`
    SELECT (SELECT count(*) FROM lots WHERE shop_id = $1 AND remaining <> 0)::int AS open_lots,
           (SELECT count(*) FROM (SELECT lot_id FROM lot_movements WHERE shop_id = $1 AND points < 0 GROUP BY lot_id HAVING count(*) <> 1) x)::int AS lots_not_once,
           (SELECT count(*) FROM ledger_entries WHERE shop_id = $1 AND kind = 'expire')::int AS expire_entries,
           (SELECT coalesce(sum(available), 0) FROM members WHERE shop_id = $1)::bigint AS available,
           (SELECT coalesce(sum(lifetime_earned - lifetime_expired), 0) FROM members WHERE shop_id = $1)::bigint AS earned_not_expired`, [shopId]);
  const r = rows[0];
  const ok = r.open_lots === 0 && r.lots_not_once === 0 && r.expire_entries === LOTS && Number(r.available) === 0 && Number(r.earned_not_expired) === 0;
  return { ok, ...r };
}

async function waitForReady(url: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the API did not become ready');
}


function envFor(url: string) {
  return {
    DATABASE_URL: url,
    DATABASE_POOL_MAX: '8',
    LOJAL_ADMIN_TOKEN: randomBytes(24).toString('hex'),
    LOJAL_SECRET_KEY: process.env.BENCH_SECRET_KEY ?? randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    PORT: String(PORT),
    HOST: '127.0.0.1',
    RATE_LIMIT_PER_MINUTE: '10000000',
    EXPIRY_LANES: process.env.EXPIRY_LANES ?? '1',
  };
}

export async function benchExpiry(): Promise<void> {
  const url = await recreateDatabase(DB);
  const env = envFor(url);
  const logger = createLogger('silent', 'bench');
  let container = createContainer(loadConfig(env), { logger });
  await migrateDatabase(container.database);
  const { shop, apiKey } = await container.shops.createShop({ name: 'bench', currency: 'PLN' });
  await container.close();
  const seedStarted = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await seed(client, shop.id).finally(() => client.end());
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  console.log(`expiry: seeded ${LOTS} lots of ${MEMBERS} members in ${seedSeconds.toFixed(1)} s`);

  // Both copies now: a database cannot be copied while the API is connected to it.
  await cloneDatabase(RAW_DB, DB);
  await cloneDatabase(RAW_LOADED_DB, DB);
  const raw = await timeRaw(shop.id, RAW_DB);
  await dropDatabase(RAW_DB);
  console.log(`expiry: raw statement ${raw.lots} lots in ${raw.seconds.toFixed(1)} s`);

  container = createContainer(loadConfig(env), { logger });
  const server = spawn(process.execPath, ['--import', 'tsx', 'services/api/server.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${PORT}`;
  try {
    await waitForReady(base);
    let warm = 0;
    await readBalances(base, apiKey, () => warm++ >= 200);
    const idle = await (async () => {
      const until = performance.now() + 3_000;
      return readBalances(base, apiKey, () => performance.now() > until);
    })();
    // The raw statement again on the second copy, under the same balance reads as the sweep: the two compared under the
    // same load (the headline ratio stays the one against the raw statement alone).
    let rawRunning = true;
    const rawReads = readBalances(base, apiKey, () => !rawRunning);
    const rawLoaded = await timeRaw(shop.id, RAW_LOADED_DB).finally(() => (rawRunning = false));
    await rawReads;
    await dropDatabase(RAW_LOADED_DB);
    console.log(`expiry: raw statement under reads ${rawLoaded.lots} lots in ${rawLoaded.seconds.toFixed(1)} s`);
    let sweeping = true;
    const reads = readBalances(base, apiKey, () => !sweeping);
    const started = performance.now();
    const counts = { expired: 0, points: 0 };
    try {
      // One run takes at most EXPIRY_SWEEP's bound (1,000,000 lots); the worker's next run goes on, as here.
      for (;;) {
        const run = await container.expiry.expireDue(shop.id, AS_OF);
        counts.expired += run.expired;
        counts.points += run.points;
        if (run.expired === 0) break;
      }
    } finally {
      sweeping = false;
    }
    const sweepSeconds = (performance.now() - started) / 1000;
    const during = await reads;
    console.log(`expiry: sweep ${counts.expired} lots in ${sweepSeconds.toFixed(1)} s`);
    const verified = await verify(container.database.pool, shop.id);
    const checkStarted = performance.now();
    const check = FULL_CHECK ? await container.ledger.check(shop.id) : null;
    const checkSeconds = Number(((performance.now() - checkStarted) / 1000).toFixed(1));
    const ratio = Number((sweepSeconds / raw.seconds).toFixed(2));
    const loadedRatio = Number((sweepSeconds / rawLoaded.seconds).toFixed(2));
    const p99 = Number(percentile(during.latencies, 99).toFixed(1));
    const ms = (l: number[], p: number) => percentile(l, p).toFixed(1);
    const summary = [
      `# Expiry benchmark (${new Date().toISOString()})`,
      '',
      `Machine: ${JSON.stringify(machine())}. ${LOTS.toLocaleString('en')} due lots of ${MEMBERS.toLocaleString('en')} members (one shop), seeded`,
      `with set-based SQL in ${seedSeconds.toFixed(1)} s, then VACUUM ANALYZE. The sweep is \`container.expiry.expireDue\` (the \`expire\` job): per chunk`,
      `one transaction of two statements: find up to 1,000 due lots (lots_expiring), lock their members in id order and take`,
      "each one's due lots (up to 20); then expire them all (entries, movements, lots, balances), each lot re-read where the",
      `claim saw it (ctid), under the locks; sequential scans off for the chunk (SET LOCAL). EXPIRY_LANES=${env.EXPIRY_LANES} (lanes of the sweep).`,
      'The raw statement does the same inserts and updates for all lots at once on a copy of the same data',
      `(CREATE DATABASE … TEMPLATE), once alone and once on a second copy under the same reads as the sweep. During the`,
      `sweep ${READERS} clients read balances (GET /v1/members/{id}, random members, 5 ms pause between reads) from the API`,
      'as its own process.',
      '',
      '| | lots | points | seconds | lots/s |',
      '|---|---|---|---|---|',
      `| raw SQL (one statement) | ${raw.lots} | | ${raw.seconds.toFixed(1)} | ${Math.round(raw.lots / raw.seconds)} |`,
      `| raw SQL, under the same reads | ${rawLoaded.lots} | | ${rawLoaded.seconds.toFixed(1)} | ${Math.round(rawLoaded.lots / rawLoaded.seconds)} |`,
      `| expire sweep | ${counts.expired} | ${counts.points} | ${sweepSeconds.toFixed(1)} | ${Math.round(counts.expired / sweepSeconds)} |`,
      '',
      '| balance reads | count | p50 ms | p99 ms | max ms | errors |',
      '|---|---|---|---|---|---|',
      `| idle (before) | ${idle.latencies.length} | ${ms(idle.latencies, 50)} | ${ms(idle.latencies, 99)} | ${ms(idle.latencies, 100)} | ${idle.errors} |`,
      `| during the sweep | ${during.latencies.length} | ${ms(during.latencies, 50)} | ${p99} | ${ms(during.latencies, 100)} | ${during.errors} |`,
      '',
      `Sweep / raw: **${ratio}×** (target ≤ 2×: ${ratio <= 2 ? 'met' : 'NOT met'}); against the raw statement under the same reads: ${loadedRatio}×;`,
      `reads p99 ${p99} ms (target < 50 ms: ${p99 < 50 ? 'met' : 'NOT met'}).`,
      `After the sweep: every lot expired exactly once, nothing left available, lifetime expired = points seeded: ${verified.ok ? 'yes' : `NO (${JSON.stringify(verified)})`}.`,
      `Ledger check (GET /v1/ledger/check's): ${check === null ? 'not run (BENCH_EXPIRY_CHECK=0)' : check.ok ? `clean (${checkSeconds} s)` : 'DIFFERENCES'}.`,
      '',
    ].join('\n');
    const results = { machine: machine(), lanes: Number(env.EXPIRY_LANES), lots: LOTS, members: MEMBERS, seedSeconds, raw, rawLoaded, loadedRatio, sweep: { seconds: sweepSeconds, ...counts }, ratio, idle: { count: idle.latencies.length, p50: percentile(idle.latencies, 50), p99: percentile(idle.latencies, 99) }, during: { count: during.latencies.length, p50: percentile(during.latencies, 50), p99, errors: during.errors }, verified, ledgerCheck: check?.ok ?? null, checkSeconds: check ? checkSeconds : null };
    const path = await writeResults('expiry', results, summary);
    console.log(summary);
    console.log(`written to ${path}`);
    if (check && !check.ok) console.error('ledger check differences:', JSON.stringify(check.differences.slice(0, 5)));
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await container.close();
    if (!process.env.BENCH_KEEP_DB) await dropDatabase(DB);
  }
}
