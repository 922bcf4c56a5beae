/**
 * Redemptions: hold + commit pairs through the redemption service (each its own transaction, as at a checkout),
 * spread over 1,000 members and concentrated on one member, 32 concurrent clients each, beside pgbench TPC-B in the
 * same run, each after a warm-up and ANALYZE (as pgbench -i). Afterwards the anomaly checks: the ledger check, no held points left, every member's balance exactly
 * its seed less what it committed. Target (issue: redemptions): spread ≥ 0.4× TPC-B; one hot member ≥ 0.1× with
 * zero anomalies.
 *
 *   npm run bench -- redemptions        (BENCH_SECONDS=10 by default)
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../services/config.ts';
import { createContainer, type Container } from '../services/core/container.ts';
import { DomainError } from '../services/core/common/errors.ts';
import { createLogger } from '../services/core/common/logging.ts';
import { migrateDatabase } from '../services/db/migrate.ts';
import { dropDatabase, machine, percentile, pgbench, recreateDatabase, writeResults } from './lib.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = 32;
const SEED_POINTS = 10_000_000;
const DB = 'lojal_bench_redemptions';

interface Scenario {
  name: string;
  members: number;
  pairsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  refused: number;
  anomalies: string[];
}

async function run(container: Container, shopId: string, name: string, members: number): Promise<Scenario> {
  const profile = { email: null, emailVerified: false, firstName: null, lastName: null, locale: 'en', birthday: null, marketingConsent: false, referredBy: null };
  const ids = Array.from({ length: members }, (_, i) => `${name}-${i}`);
  for (const id of ids) {
    await container.members.upsert(shopId, id, profile);
    await container.ledger.adjust(shopId, id, { points: SEED_POINTS, reason: 'seed' }, 'bench');
  }
  const committed = new Map<string, number>();
  const latencies: number[] = [];
  let refused = 0;
  let n = 0;
  const pair = async () => {
    const customerId = ids[n++ % ids.length]!;
    const points = 1 + (n % 50);
    const started = performance.now();
    try {
      const held = await container.redemptions.hold(shopId, customerId, points, null, 'bench');
      await container.redemptions.commit(shopId, held.id, `order-${held.id}`, 'bench');
      committed.set(customerId, (committed.get(customerId) ?? 0) + points);
      return performance.now() - started;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refused++;
      return null;
    }
  };
  // Warm-up, as pgbench -i is for TPC-B: a pair per member (at least 200), then ANALYZE, so that the measured run
  // sees tables with rows and plans made with statistics.
  for (let i = 0; i < Math.max(members, 200); i += CLIENTS) await Promise.all(Array.from({ length: CLIENTS }, pair));
  await container.database.pool.query('ANALYZE');
  refused = 0;
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const latency = await pair();
        if (latency !== null) latencies.push(latency);
      }
    }),
  );
  const anomalies: string[] = [];
  const report = await container.ledger.check(shopId);
  if (!report.ok) anomalies.push(`ledger check: ${report.differences.length} differences`);
  for (const id of ids) {
    const member = await container.members.get(shopId, id);
    const expected = SEED_POINTS - (committed.get(id) ?? 0);
    if (member.balance.held !== 0) anomalies.push(`${id}: ${member.balance.held} still held`);
    if (member.balance.available !== expected) anomalies.push(`${id}: available ${member.balance.available}, expected ${expected}`);
  }
  latencies.sort((a, b) => a - b);
  return {
    name,
    members,
    pairsPerSecond: Math.round(latencies.length / SECONDS),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    refused,
    anomalies,
  };
}

export async function benchRedemptions(): Promise<void> {
  const baseline = await pgbench(8, SECONDS);
  const url = await recreateDatabase(DB);
  const config = loadConfig({
    DATABASE_URL: url,
    // 16 connections for 32 clients: measured better than one each on 2 cores (BENCH_POOL to try others).
    DATABASE_POOL_MAX: process.env.BENCH_POOL ?? '16',
    LOJAL_ADMIN_TOKEN: randomBytes(24).toString('hex'),
    LOJAL_SECRET_KEY: randomBytes(32).toString('hex'),
  });
  const container = createContainer(config, { logger: createLogger('silent', 'bench') });
  try {
    await migrateDatabase(container.database);
    const { shop } = await container.shops.createShop({ name: 'bench', currency: 'PLN' });
    await container.program.update(shop.id, { redemption: { holdMinutes: 60 } });
    const spread = await run(container, shop.id, 'spread', 1_000);
    console.log(`redemptions spread: ${spread.pairsPerSecond} pairs/s`);
    const hot = await run(container, shop.id, 'hot', 1);
    console.log(`redemptions hot: ${hot.pairsPerSecond} pairs/s`);
    const ratio = (s: Scenario) => Number((s.pairsPerSecond / baseline.tps).toFixed(2));
    const met = ratio(spread) >= 0.4 && ratio(hot) >= 0.1 && spread.anomalies.length + hot.anomalies.length === 0;
    const summary = [
      `# Redemptions benchmark (${new Date().toISOString()})`,
      '',
      `Machine: ${JSON.stringify(machine())}. ${SECONDS} s per scenario, ${CLIENTS} concurrent clients, pool ${config.databasePoolMax}.`,
      'A pair is a hold (its own transaction) then a commit (its own transaction) through the redemption service.',
      'Each scenario seeds its members, warms up (a pair per member, at least 200) and runs ANALYZE before the clock starts.',
      '',
      `pgbench TPC-B (8 clients, same server, same run): **${baseline.tps} tps**.`,
      '',
      '| scenario | members | pairs/s | × TPC-B | p50 ms | p99 ms | refused | anomalies |',
      '|---|---|---|---|---|---|---|---|',
      ...[spread, hot].map((s) => `| ${s.name} | ${s.members} | ${s.pairsPerSecond} | ${ratio(s)}× | ${s.p50Ms} | ${s.p99Ms} | ${s.refused} | ${s.anomalies.length === 0 ? 'none' : s.anomalies.slice(0, 3).join('; ')} |`),
      '',
      `Target spread ≥ 0.4×, hot ≥ 0.1× with zero anomalies: ${met ? 'met' : 'NOT met'}.`,
      '',
    ].join('\n');
    const path = await writeResults('redemptions', { machine: machine(), seconds: SECONDS, clients: CLIENTS, baseline, spread, hot }, summary);
    console.log(summary);
    console.log(`written to ${path}`);
  } finally {
    await container.close();
    await dropDatabase(DB);
  }
}
