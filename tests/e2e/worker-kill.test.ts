import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { Queue } from 'bullmq';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ADMIN_TOKEN, buildTestApp, createShop } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { TEST_REDIS_URL } from '../helpers/env.ts';
import { ROOT, cleanEnv, freePort, runQueues } from '../helpers/processes.ts';

// D8, D16: the worker killed with SIGKILL in the middle of an expiry sweep (chunks of 1,000 lots, each its own
// transaction) and started again: every due lot expires exactly once (its points.expired event is written in the same
// statement, tests/integration/outbox.test.ts), and the ledger stays derivable from its entries.
const queues = runQueues(inject('runId'));
afterAll(() => queues.clear(TEST_REDIS_URL));

const MEMBERS = 4_000;
const LOTS = 40_000;

/** Members whose lots (10 each) all expired during 2026's first half; available = the sum of their lots. */
async function seed(client: pg.Client, shopId: string): Promise<void> {
  const at = '2025-01-01T00:00:00Z';
  await client.query(`
    INSERT INTO members (shop_id, id, customer_id, available, lifetime_earned, last_activity_at, created_at, updated_at)
    SELECT $1, 'mem_k' || m, 'k' || m, 0, 0, $2, $2, $2 FROM generate_series(0, $3 - 1) m`, [shopId, at, MEMBERS]);
  await client.query(`
    CREATE TEMP TABLE seed_lots AS
    SELECT n, 'mem_k' || (n % $1) AS member_id, 'lot_k' || n AS lot_id, 'ent_k' || n AS entry_id, 10 + (n % 7) AS points,
           timestamptz '2026-01-01' + (n % 180) * interval '1 day' AS expires_at
      FROM generate_series(0, $2 - 1) n`, [MEMBERS, LOTS]);
  await client.query(`
    INSERT INTO ledger_entries (shop_id, id, member_id, kind, from_bucket, to_bucket, points, actor, lot_id, expires_at, created_at)
    SELECT $1, entry_id, member_id, 'adjust', NULL, 'available', points, 'seed', lot_id, expires_at, $2 FROM seed_lots ORDER BY n`, [shopId, at]);
  await client.query(`
    INSERT INTO lots (shop_id, id, member_id, entry_id, amount, remaining, expires_at, created_at)
    SELECT $1, lot_id, member_id, entry_id, points, points, expires_at, $2 FROM seed_lots`, [shopId, at]);
  await client.query(`INSERT INTO lot_movements (shop_id, member_id, lot_id, entry_id, points) SELECT $1, member_id, lot_id, entry_id, points FROM seed_lots`, [shopId]);
  await client.query(`
    UPDATE members m SET available = s.points, lifetime_earned = s.points
      FROM (SELECT member_id, sum(points) AS points FROM seed_lots GROUP BY member_id) s WHERE m.shop_id = $1 AND m.id = s.member_id`, [shopId]);
  await client.query('DROP TABLE seed_lots');
  await client.query('ANALYZE');
}

function startWorker(databaseUrl: string, prefix: string, extra: Record<string, string> = {}) {
  const child = spawn('node', ['--import', 'tsx', 'services/worker/main.ts'], {
    cwd: ROOT,
    env: cleanEnv({
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOJAL_ADMIN_TOKEN: ADMIN_TOKEN,
      LOJAL_SECRET_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
      ...extra,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  return { child, exited, output: () => output };
}

describe('the worker killed in the middle of an expiry sweep', () => {
  it('expires every due lot exactly once after it starts again, ledger clean', { timeout: 120_000 }, async () => {
    const databaseUrl = await createTestDatabase();
    const t = await buildTestApp({ databaseUrl });
    const shop = await createShop(t.app);
    await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { expiry: { policy: 'afterMonths', months: 12 } } });
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const prefix = queues.prefix('kill');
    const queue = new Queue('maintenance', { connection: { url: TEST_REDIS_URL }, prefix });
    try {
      await seed(client, shop.id);
      const expired = async () => Number((await client.query(`SELECT count(*) FROM ledger_entries WHERE shop_id = $1 AND kind = 'expire'`, [shop.id])).rows[0].count);

      // The worker's own schedule runs `expire` (as of now) as soon as it is set; kill it once some chunks are in.
      const first = startWorker(databaseUrl, prefix);
      await expect.poll(expired, { timeout: 60_000, interval: 20 }).toBeGreaterThan(0);
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      const atKill = await expired();
      expect(atKill).toBeLessThan(LOTS);

      // Started again, it runs the sweep once more (here on request, as the next scheduled run would).
      const metricsPort = await freePort();
      const second = startWorker(databaseUrl, prefix, { WORKER_METRICS_PORT: String(metricsPort), HOST: '127.0.0.1' });
      try {
        await queue.add('expire', { shopId: shop.id });
        await expect.poll(expired, { timeout: 90_000, interval: 200 }).toBe(LOTS);
        // Run alone, it serves its metrics: the outbox's backlog and lag, queue depth, its process.
        const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        for (const name of ['lojal_outbox_events_waiting', 'lojal_outbox_lag_seconds', 'lojal_queue_jobs', 'lojal_worker_process_cpu_seconds_total']) {
          expect(metrics).toContain(name);
        }
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }

      const perLot = await client.query(`
        SELECT count(*) FILTER (WHERE n <> 1) AS wrong, count(*) AS lots FROM (
          SELECT l.id, count(mv.entry_id) AS n FROM lots l
            LEFT JOIN lot_movements mv ON mv.shop_id = l.shop_id AND mv.lot_id = l.id AND mv.points < 0
           WHERE l.shop_id = $1 GROUP BY l.id) x`, [shop.id]);
      expect(perLot.rows[0]).toEqual({ wrong: 0, lots: LOTS });
      const left = await client.query(`SELECT count(*) FROM lots WHERE shop_id = $1 AND remaining <> 0`, [shop.id]);
      expect(left.rows[0].count).toBe(0);
      const members = await client.query(`SELECT count(*) FILTER (WHERE available <> 0 OR lifetime_expired <> lifetime_earned) AS wrong FROM members WHERE shop_id = $1`, [shop.id]);
      expect(members.rows[0].wrong).toBe(0);
      const check = await t.app.inject({ method: 'GET', url: '/v1/ledger/check', headers: shop.auth });
      expect(check.json()).toMatchObject({ ok: true, differences: [] });
    } finally {
      await queue.close();
      await client.end();
      await t.close();
    }
  });
});
