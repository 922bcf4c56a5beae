/**
 * Tiers (D9): the `tiers` job's downgrade review (container.tierSweep.run, the core function behind the worker's
 * schedule and POST /v1/jobs/tiers) over BENCH_TIER_MEMBERS members (100,000 by default) whose review is due, each
 * with three qualifying credits in the closed year, beside one raw set-based statement doing the same work (the
 * members' new tier or next review, a history row and a tier.changed event per change) on a copy of the same data,
 * in the same run. Target (issue 12): the job ≤ 2× the raw statement.
 *
 *   npm run bench -- tiers
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../services/config.ts';
import { createContainer } from '../services/core/container.ts';
import { createLogger } from '../services/core/common/logging.ts';
import { TIER_SWEEP } from '../services/core/tiers/tier-sweep.ts';
import { migrateDatabase } from '../services/db/migrate.ts';
import { cloneDatabase, dropDatabase, machine, recreateDatabase, urlFor, writeResults } from './lib.ts';

const MEMBERS = Number(process.env.BENCH_TIER_MEMBERS ?? 100_000);
const DB = 'lojal_bench_tiers';
const RAW_DB = 'lojal_bench_tiers_raw';
const AS_OF = new Date('2027-01-01T00:00:00Z');

const CONFIG = {
  basis: 'points' as const,
  window: 'calendarYear' as const,
  retainMonths: 0,
  stepDown: false,
  tiers: [
    { id: 'base', name: 'Member', threshold: 0, multiplier: 1, benefits: [] },
    { id: 'silver', name: 'Silver', threshold: 500, multiplier: 1.5, benefits: ['Free shipping'] },
    { id: 'gold', name: 'Gold', threshold: 2_000, multiplier: 2, benefits: ['Free shipping', 'Early access'] },
  ],
};

/**
 * Members on Silver or Gold since 2026, their review due on 1 January 2027 (UTC shop), each with three credits in
 * 2026 adding up to 0–2,999 points: about half keep their tier, the rest move down one or two tiers.
 */
async function seed(client: pg.Client, shopId: string): Promise<void> {
  const at = '2026-02-01T00:00:00Z';
  await client.query(`
    INSERT INTO members (shop_id, id, customer_id, tier_id, tier_since, tier_review_at, created_at, updated_at)
    SELECT $1, 'mem_t' || m, 'c' || m, CASE WHEN m % 3 = 0 THEN 'gold' ELSE 'silver' END, $2, $3, $2, $2
      FROM generate_series(0, $4 - 1) m`, [shopId, at, AS_OF, MEMBERS]);
  await client.query(`
    INSERT INTO tier_credits (shop_id, member_id, at, points, spend, order_id, entry_id)
    SELECT $1, 'mem_t' || m, timestamptz '2026-03-01' + (k * 90 + m % 60) * interval '1 day', ((m::bigint * 7919) % 3000) / 3, 0,
           'o' || m || '-' || k, 'ent_t' || m || '-' || k
      FROM generate_series(0, $2 - 1) m, generate_series(0, 2) k`, [shopId, MEMBERS]);
  await client.query(`UPDATE programs SET tiers = $2 WHERE shop_id = $1`, [shopId, JSON.stringify(CONFIG)]);
  await client.query('VACUUM ANALYZE');
}

/** The same decisions as one statement: the best tier the 2026 and 2027 totals reach; a change is written with its history and event. */
const RAW = `
  WITH due AS (
    SELECT m.id, m.tier_id,
           (SELECT coalesce(sum(c.points), 0) FROM tier_credits c WHERE c.shop_id = m.shop_id AND c.member_id = m.id
               AND c.at >= timestamptz '2026-01-01' AND c.at < timestamptz '2027-01-01') AS previous,
           (SELECT coalesce(sum(c.points), 0) FROM tier_credits c WHERE c.shop_id = m.shop_id AND c.member_id = m.id
               AND c.at >= timestamptz '2027-01-01' AND c.at <= $2) AS current
      FROM members m WHERE m.shop_id = $1 AND m.tier_review_at IS NOT NULL AND m.tier_review_at <= $2
  ),
  decided AS (
    SELECT id, tier_id, CASE WHEN greatest(previous, current) >= 2000 THEN 'gold' WHEN greatest(previous, current) >= 500 THEN 'silver' ELSE 'base' END AS target
      FROM due
  ),
  saved AS (
    UPDATE members m SET tier_id = d.target,
           tier_since = CASE WHEN d.target <> d.tier_id THEN $2 ELSE m.tier_since END,
           tier_review_at = CASE WHEN d.target = 'base' THEN NULL ELSE timestamptz '2028-01-01' END,
           version = m.version + CASE WHEN d.target <> d.tier_id THEN 1 ELSE 0 END
      FROM decided d WHERE m.shop_id = $1 AND m.id = d.id
    RETURNING d.id, d.tier_id, d.target
  ),
  history AS (
    INSERT INTO tier_history (shop_id, member_id, from_tier, to_tier, reason, actor, at)
    SELECT $1, id, tier_id, target, 'window_closed', 'tiers', $2 FROM saved WHERE target <> tier_id
  ),
  events AS (
    INSERT INTO outbox (shop_id, type, member_id, data, occurred_at)
    SELECT $1, 'tier.changed', id, jsonb_build_object('from', tier_id, 'to', target, 'direction', 'down'), $2 FROM saved WHERE target <> tier_id
  )
  SELECT count(*)::int AS reviewed, count(*) FILTER (WHERE target <> tier_id)::int AS changed FROM saved`;

async function timeRaw(shopId: string): Promise<{ seconds: number; reviewed: number; changed: number }> {
  const client = new pg.Client({ connectionString: urlFor(RAW_DB) });
  await client.connect();
  try {
    const started = performance.now();
    const { rows } = await client.query(RAW, [shopId, AS_OF]);
    return { seconds: (performance.now() - started) / 1000, reviewed: rows[0].reviewed, changed: rows[0].changed };
  } finally {
    await client.end();
  }
}

/** The outcome the job left: members per tier, history rows, events, reviews still due. */
async function outcome(url: string, shopId: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`
      SELECT (SELECT jsonb_object_agg(tier_id, n) FROM (SELECT tier_id, count(*) AS n FROM members WHERE shop_id = $1 GROUP BY tier_id) t) AS tiers,
             (SELECT count(*)::int FROM tier_history WHERE shop_id = $1) AS history,
             (SELECT count(*)::int FROM outbox WHERE shop_id = $1 AND type = 'tier.changed') AS events,
             (SELECT count(*)::int FROM members WHERE shop_id = $1 AND tier_review_at <= $2) AS still_due`, [shopId, AS_OF]);
    return rows[0] as { tiers: Record<string, number>; history: number; events: number; still_due: number };
  } finally {
    await client.end();
  }
}


export async function benchTiers(): Promise<void> {
  const url = await recreateDatabase(DB);
  const env = { DATABASE_URL: url, LOJAL_ADMIN_TOKEN: randomBytes(24).toString('hex'), LOJAL_SECRET_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn' };
  const logger = createLogger('silent', 'bench');
  let container = createContainer(loadConfig(env), { logger });
  await migrateDatabase(container.database);
  const { shop } = await container.shops.createShop({ name: 'bench', currency: 'PLN' });
  await container.tiers.update(shop.id, CONFIG);
  await container.close();
  const seedStarted = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await seed(client, shop.id).finally(() => client.end());
  console.log(`tiers: seeded ${MEMBERS} members in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

  await cloneDatabase(RAW_DB, DB);
  const raw = await timeRaw(shop.id);
  const rawOutcome = await outcome(urlFor(RAW_DB), shop.id);
  await dropDatabase(RAW_DB);
  console.log(`tiers: raw statement ${raw.reviewed} members (${raw.changed} changed) in ${raw.seconds.toFixed(2)} s`);

  container = createContainer(loadConfig(env), { logger });
  try {
    // The configuration change was applied when the shop had no members: nothing to re-evaluate.
    await container.tierSweep.run(shop.id, new Date('2026-01-01T00:00:00Z'));
    const started = performance.now();
    const counts = await container.tierSweep.run(shop.id, AS_OF);
    const seconds = (performance.now() - started) / 1000;
    const jobOutcome = await outcome(url, shop.id);
    const same = JSON.stringify(jobOutcome.tiers) === JSON.stringify(rawOutcome.tiers) && jobOutcome.history === rawOutcome.history && jobOutcome.still_due === 0;
    const ratio = Number((seconds / raw.seconds).toFixed(2));
    const summary = [
      `# Tiers benchmark (${new Date().toISOString()})`,
      '',
      `Machine: ${JSON.stringify(machine())}. ${MEMBERS} members on Silver or Gold, each with 3 qualifying credits in 2026,`,
      `their review due on 1 January 2027; PostgreSQL as configured on this machine.`,
      '',
      '| | members reviewed | changed | seconds | members/s |',
      '|---|---|---|---|---|',
      `| tiers job (core function, chunks of ${TIER_SWEEP.chunk}: one read, one write each) | ${counts.reviewed} | ${counts.downgraded + counts.upgraded} | ${seconds.toFixed(2)} | ${Math.round(counts.reviewed / seconds)} |`,
      `| raw SQL (one statement, copy of the same data) | ${raw.reviewed} | ${raw.changed} | ${raw.seconds.toFixed(2)} | ${Math.round(raw.reviewed / raw.seconds)} |`,
      '',
      `Job ÷ raw: **${ratio}×** (target ≤ 2×: ${ratio <= 2 ? 'met' : 'NOT met'}). Same outcome as the raw statement`,
      `(members per tier, history rows, nothing left due): ${same ? 'yes' : 'NO'} — job ${JSON.stringify(jobOutcome)}, raw ${JSON.stringify(rawOutcome)}.`,
      '',
    ].join('\n');
    const path = await writeResults('tiers', { machine: machine(), members: MEMBERS, counts, seconds, raw, ratio, jobOutcome, rawOutcome, same }, summary);
    console.log(summary);
    console.log(`written to ${path}`);
  } finally {
    await container.close();
    if (!process.env.BENCH_KEEP_DB) await dropDatabase(DB);
  }
}
