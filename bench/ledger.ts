/**
 * Ledger throughput: credits and debits through the real ledger service (read the member and its lots, write the
 * entry, lot changes and balances in one version-guarded statement) at 1, 8 and 32 concurrent members, each driven by
 * one client, after a warm-up and ANALYZE (as pgbench -i), beside pgbench TPC-B measured in the same run. Target (issue: ledger core): single-member-row
 * operations at ≥ 0.5× pgbench TPC-B tps.
 *
 *   npm run bench -- ledger            (BENCH_SECONDS=10 by default)
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../services/config.ts';
import { createContainer } from '../services/core/container.ts';
import { createLogger } from '../services/core/common/logging.ts';
import { migrateDatabase } from '../services/db/migrate.ts';
import { machine, percentile, pgbench, recreateDatabase, dropDatabase, writeResults } from './lib.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LEVELS = [1, 8, 32];
const DB = 'lojal_bench_ledger';

interface LevelResult {
  members: number;
  operations: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

async function runLevel(members: number): Promise<LevelResult> {
  const url = await recreateDatabase(DB);
  const logger = createLogger('silent', 'bench');
  const config = loadConfig({
    DATABASE_URL: url,
    DATABASE_POOL_MAX: String(members),
    LOJAL_ADMIN_TOKEN: randomBytes(24).toString('hex'),
    LOJAL_SECRET_KEY: randomBytes(32).toString('hex'),
  });
  const container = createContainer(config, { logger });
  try {
    await migrateDatabase(container.database);
    const { shop } = await container.shops.createShop({ name: 'bench', currency: 'PLN' });
    const ids = Array.from({ length: members }, (_, i) => `bench-${i}`);
    const profile = { email: null, emailVerified: false, firstName: null, lastName: null, locale: 'en', birthday: null, marketingConsent: false, referredBy: null };
    for (const id of ids) {
      await container.members.upsert(shop.id, id, profile);
      await container.ledger.adjust(shop.id, id, { points: 1_000_000, reason: 'seed' }, 'bench');
    }
    // Warm-up, as pgbench -i is for TPC-B: some of the run's own operations (at least 200), then ANALYZE, so that
    // the measured run sees tables with rows and plans made with statistics.
    for (let i = 0; i < Math.max(200 / members, 2); i++) {
      await Promise.all(ids.map((id) => container.ledger.adjust(shop.id, id, { points: i % 2 === 0 ? 7 : -5, reason: 'warm-up' }, 'bench')));
    }
    await container.database.pool.query('ANALYZE');
    const latencies: number[] = [];
    let errors = 0;
    const deadline = performance.now() + SECONDS * 1000;
    await Promise.all(
      ids.map(async (id) => {
        for (let i = 0; performance.now() < deadline; i++) {
          const started = performance.now();
          try {
            // Alternate a credit (a new lot) and a debit (consumes lots soonest-expiring first).
            await container.ledger.adjust(shop.id, id, { points: i % 2 === 0 ? 7 : -5, reason: 'bench' }, 'bench');
            latencies.push(performance.now() - started);
          } catch {
            errors++;
          }
        }
      }),
    );
    const report = await container.ledger.check(shop.id);
    if (!report.ok) throw new Error(`ledger check failed after the run: ${JSON.stringify(report.differences.slice(0, 3))}`);
    latencies.sort((a, b) => a - b);
    return {
      members,
      operations: latencies.length,
      opsPerSecond: Math.round(latencies.length / SECONDS),
      p50Ms: Number(percentile(latencies, 50).toFixed(2)),
      p99Ms: Number(percentile(latencies, 99).toFixed(2)),
      errors,
    };
  } finally {
    await container.close();
    await dropDatabase(DB);
  }
}

export async function benchLedger(): Promise<void> {
  const baseline = await pgbench(8, SECONDS);
  const levels: LevelResult[] = [];
  for (const members of LEVELS) {
    levels.push(await runLevel(members));
    console.log(`ledger: ${members} members: ${levels.at(-1)!.opsPerSecond} ops/s`);
  }
  const best = Math.max(...levels.map((l) => l.opsPerSecond));
  const ratio = Number((best / baseline.tps).toFixed(2));
  const rows = levels.map(
    (l) => `| ${l.members} | ${l.opsPerSecond} | ${(l.opsPerSecond / baseline.tps).toFixed(2)}× | ${l.p50Ms} | ${l.p99Ms} | ${l.errors} |`,
  );
  const summary = [
    `# Ledger benchmark (${new Date().toISOString()})`,
    '',
    `Machine: ${JSON.stringify(machine())}. ${SECONDS} s per level, one client per member, pool = members. Each operation is`,
    'one adjustment (credit 7 or debit 5) through the ledger service: member and lots read, then entry, lot, movement',
    "and balance rows in one statement guarded by the member's version (the row lock only after a lost race).",
    '',
    `pgbench TPC-B (8 clients, same server, same run): **${baseline.tps} tps** (latency ${baseline.latencyMs} ms).`,
    '',
    '| concurrent members | ops/s | × TPC-B | p50 ms | p99 ms | errors |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Target ≥ 0.5× TPC-B: ${ratio >= 0.5 ? 'met' : 'NOT met'} (best ${ratio}×).`,
    '',
  ].join('\n');
  const path = await writeResults('ledger', { machine: machine(), seconds: SECONDS, baseline, levels, ratio }, summary);
  console.log(summary);
  console.log(`written to ${path}`);
}
