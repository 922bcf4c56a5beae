/**
 * Storefront events end to end: signed `order.completed` events over HTTP (autocannon, 32 connections) into the
 * API running as its own process, each event a new order of one of 2,000 customers (after a warm-up that creates
 * them and analyzes, as pgbench -i does): signature, dedup, award and ledger entry, committed together. Beside pgbench TPC-B in the same run. Target (issue: storefront
 * events): ≥ 0.5× pgbench TPC-B tps at p99 ≤ 50 ms.
 *
 *   npm run bench -- events            (BENCH_SECONDS=10 by default)
 *   BENCH_TIERS=1 npm run bench -- events   the same with a three-tier program (D9): a third of the customers on
 *                                           each tier, so awards apply 1×, 1.5× and 2×
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { loadConfig } from '../services/config.ts';
import { createContainer } from '../services/core/container.ts';
import { signatureHeader } from '../services/core/events/signature.ts';
import { createLogger } from '../services/core/common/logging.ts';
import { migrateDatabase } from '../services/db/migrate.ts';
import { dropDatabase, machine, pgbench, recreateDatabase, writeResults } from './lib.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const DB = 'lojal_bench_events';
const PORT = 3917;
/** Bodies signed in advance: enough for this many events per second. */
const MAX_RATE = 5_000;
const CUSTOMERS = 2_000;
const TIERS = process.env.BENCH_TIERS === '1';
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
  throw new Error('the API did not become ready');
}

function orderEvent(n: number) {
  const lines = [
    { id: '1', productId: `p${n % 50}`, sku: `SKU-${n % 50}`, name: 'Item', categories: ['c'], quantity: 1 + (n % 3), unitPrice: 4_990, total: (1 + (n % 3)) * 4_990, discount: 0 },
    { id: '2', productId: 'p-x', sku: 'SKU-X', name: 'Other', categories: [], quantity: 1, unitPrice: 1_500, total: 1_500, discount: 0 },
  ];
  const subtotal = lines.reduce((s, l) => s + l.total, 0);
  return {
    id: randomUUID(),
    type: 'order.completed',
    occurredAt: new Date().toISOString(),
    data: {
      order: {
        id: `o-${n}-${randomBytes(4).toString('hex')}`,
        number: String(n),
        status: 'complete',
        customer: { id: `c-${n % CUSTOMERS}`, email: `c${n % CUSTOMERS}@example.com`, emailVerified: true },
        currency: 'PLN',
        exchangeRate: null,
        lines,
        subtotal,
        discount: 0,
        shipping: 1_500,
        tax: 0,
        total: subtotal + 1_500,
        pointsRedeemed: null,
        placedAt: new Date().toISOString(),
      },
    },
  };
}

export async function benchEvents(): Promise<void> {
  const baseline = await pgbench(8, SECONDS);
  const url = await recreateDatabase(DB);
  const env = {
    DATABASE_URL: url,
    DATABASE_POOL_MAX: process.env.BENCH_POOL ?? '16',
    LOJAL_ADMIN_TOKEN: randomBytes(24).toString('hex'),
    LOJAL_SECRET_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    PORT: String(PORT),
    HOST: '127.0.0.1',
    RATE_LIMIT_PER_MINUTE: '10000000',
  };
  const container = createContainer(loadConfig(env), { logger: createLogger('silent', 'bench') });
  await migrateDatabase(container.database);
  const { shop, apiKey, webhookSecret } = await container.shops.createShop({ name: 'bench', currency: 'PLN' });
  if (TIERS) await container.tiers.update(shop.id, THREE_TIERS);
  // BENCH_NODE_ARGS: extra Node flags for the API process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'services/api/server.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${PORT}`;
  try {
    await waitForReady(base);
    // Every request is signed before the clock starts: the load generator shares the two cores with the API and
    // PostgreSQL, and should spend them on HTTP, not on building and signing bodies (pgbench's client is C).
    const signedAt = Math.floor(Date.now() / 1000);
    const signed = (i: number) => {
      const body = JSON.stringify(orderEvent(i));
      return { body, signature: signatureHeader(webhookSecret, body, signedAt) };
    };
    const bodies = Array.from({ length: CUSTOMERS + SECONDS * MAX_RATE }, (_, i) => signed(i));
    // Past MAX_RATE events/s the rest are signed as they go (the summary says how many): slower, never stuck.
    let signedLate = 0;
    let n = 0;
    const send = (options: { duration: number } | { amount: number }) =>
      autocannon({
        url: `${base}/v1/events`,
        connections: CONNECTIONS,
        ...options,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => {
              const next = bodies[n] ?? (signedLate++, signed(n));
              n++;
              return {
                ...request,
                body: next.body,
                headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'lojal-signature': next.signature },
              };
            },
          },
        ],
      });
    // Warm-up, as pgbench -i is for TPC-B: every customer's first order (it creates the member), then ANALYZE, so
    // that the run measures a shop in its steady state, with statistics its plans can use.
    await send({ amount: CUSTOMERS });
    if (TIERS) {
      // A third of the members on each tier, as the tiers job leaves them.
      await container.database.pool.query(`
        UPDATE members SET tier_id = (ARRAY['member', 'silver', 'gold'])[1 + abs(hashtext(id)) % 3], tier_since = now(),
               version = version + 1 WHERE shop_id = $1`, [shop.id]);
      // The rows that update left behind go, as autovacuum would see to in a running shop.
      await container.database.pool.query('VACUUM members');
    }
    await container.database.pool.query('ANALYZE');
    const before = await eventPaths(base);
    const result = await send({ duration: SECONDS });
    const after = await eventPaths(base);
    const paths = Object.fromEntries(Object.entries(after).map(([path, count]) => [path, count - (before[path] ?? 0)]));
    const check = await container.ledger.check(null);
    if (!check.ok) console.error('ledger check differences:', JSON.stringify(check.differences.slice(0, 5)));
    const accepted = result['2xx'];
    const eventsPerSecond = Math.round(accepted / SECONDS);
    const ratio = Number((eventsPerSecond / baseline.tps).toFixed(2));
    const p99 = result.latency.p99;
    const summary = [
      `# Events benchmark (${new Date().toISOString()})`,
      '',
      `Machine: ${JSON.stringify(machine())}. ${SECONDS} s, ${CONNECTIONS} connections (autocannon), the API as its own process`,
      `(LOG_LEVEL=warn, pool ${env.DATABASE_POOL_MAX}). Each request: a new signed \`order.completed\` for one of ${CUSTOMERS} customers, two lines.`,
      `Warm-up first (not measured): each customer's first order, which creates the member, then ANALYZE.`,
      `Tiers: ${TIERS ? 'three (1×, 1.5×, 2×), a third of the members on each' : 'none'}.`,
      '',
      `pgbench TPC-B (8 clients, same server, same run): **${baseline.tps} tps**.`,
      '',
      '| events/s (202) | × TPC-B | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors | ledger check |',
      '|---|---|---|---|---|---|---|---|---|',
      `| ${eventsPerSecond} | ${ratio}× | ${result.latency.p50} | ${result.latency.p90} | ${p99} | ${result.latency.max} | ${result.non2xx} | ${result.errors} | ${check.ok ? 'clean' : 'DIFFERENCES'} |`,
      '',
      `Target ≥ 0.5× TPC-B at p99 ≤ 50 ms: ${ratio >= 0.5 && p99 <= 50 ? 'met' : 'NOT met'}.`,
      `Events by path during the run: ${Object.entries(paths).map(([path, count]) => `${path} ${count}`).join(', ') || 'none'}.`,
      ...(signedLate > 0 ? ['', `${signedLate} bodies were signed during the run (more than ${MAX_RATE} events/s).`] : []),
      '',
    ].join('\n');
    const path = await writeResults('events', { machine: machine(), tiers: TIERS, seconds: SECONDS, connections: CONNECTIONS, baseline, eventsPerSecond, ratio, latency: result.latency, non2xx: result.non2xx, errors: result.errors, ledgerCheck: check.ok, signedLate, paths }, summary);
    console.log(summary);
    console.log(`written to ${path}`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await container.close();
    if (!process.env.BENCH_KEEP_DB) await dropDatabase(DB);
  }
}

/** Events applied so far, by path (optimistic: lock-free; locked: a transaction), from the API's own /metrics. */
async function eventPaths(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^lojal_storefront_events_total\{[^}]*path="(\w+)"[^}]*\} (\d+)/gm)) {
    counts[match[1]!] = (counts[match[1]!] ?? 0) + Number(match[2]);
  }
  return counts;
}
