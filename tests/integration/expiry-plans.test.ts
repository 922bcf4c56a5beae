import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seed } from '../../bench/expiry.ts';
import { createExpiryService } from '../../services/core/ledger/expiry-service.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import { createDatabase, type Database } from '../../services/db/client.ts';
import { buildTestApp, createShop, type TestApp } from '../helpers/app.ts';

// D8: the expiry sweep reaches the rows of a chunk by key. A chunk of thousands of lots is a large share of a small
// table, and PostgreSQL then reads the whole of lots and members once per chunk: fine on a test shop, minutes on a
// shop with millions of lots (bench/expiry.ts). Every plan the sweep's transactions make is recorded (auto_explain,
// sent back to the session) and none may read lots or members sequentially.
const clock = fixedClock('2027-01-01T00:00:00Z');
let t: TestApp;
let traced: Database;
const plans: string[] = [];

beforeAll(async () => {
  t = await buildTestApp({ clock });
  traced = createDatabase(t.config.databaseUrl, { max: 1 });
  traced.pool.on('connect', (client) => {
    client.on('notice', (notice) => plans.push(notice.message ?? ''));
    void client.query(`LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_level = notice;
      SET auto_explain.log_nested_statements = on`);
  });
});
afterAll(async () => {
  await traced.close();
  await t.close();
});

it('expires a chunk of thousands of lots without reading lots or members whole', async () => {
  const shop = await createShop(t.app);
  const client = new pg.Client({ connectionString: t.config.databaseUrl });
  await client.connect();
  // 12,000 due lots of 1,200 members: one chunk of 500 found lots takes its members' ten lots each (5,000).
  await seed(client, shop.id, { lots: 12_000, members: 1_200 }).finally(() => client.end());
  const expiry = createExpiryService({ database: traced, clock, program: t.container.program });

  const counts = await expiry.expireDue(shop.id, clock.now(), false, { chunk: 500, maxChunks: 2 });

  expect(counts.expired).toBeGreaterThan(5_000);
  const sweep = plans.filter((p) => p.includes('INSERT INTO ledger_entries') || p.includes('FOR UPDATE OF m'));
  expect(sweep.length).toBeGreaterThanOrEqual(4);
  for (const plan of sweep) expect(plan).not.toMatch(/Seq Scan on (lots|members)\b/);
  // Members are reached by key from each lot, not filtered through a list of the chunk's members: a parameter array
  // is not hashed, so every lot was compared with every member of the chunk (a fifth of the statement at 1M lots).
  const writes = sweep.filter((p) => p.includes('INSERT INTO ledger_entries'));
  expect(writes.length).toBeGreaterThanOrEqual(2);
  for (const plan of writes) expect(plan).not.toMatch(/Filter: .*\bid = ANY\b/);
  // The rest through the service as the worker runs it: every lot once, nothing left.
  const rest = await t.container.expiry.expireDue(shop.id, clock.now());
  expect(counts.expired + rest.expired).toBe(12_000);
});

it('two lanes (EXPIRY_LANES=2) share a shop by member and expire every lot once', async () => {
  const shop = await createShop(t.app);
  const client = new pg.Client({ connectionString: t.config.databaseUrl });
  await client.connect();
  await seed(client, shop.id, { lots: 3_000, members: 300 }).finally(() => client.end());
  const lanes = createExpiryService({ database: t.container.database, clock, program: t.container.program, lanes: 2 });

  const runs = await Promise.all([lanes.expireDue(shop.id, clock.now(), false, { chunk: 50, maxChunks: 1_000 }), lanes.expireDue(shop.id, clock.now())]);

  expect(runs[0].expired + runs[1].expired).toBe(3_000);
  const { rows } = await t.container.database.pool.query(
    `SELECT count(*)::int AS lots, count(DISTINCT lot_id)::int AS distinct_lots FROM lot_movements WHERE shop_id = $1 AND points < 0`, [shop.id]);
  expect(rows[0]).toEqual({ lots: 3_000, distinct_lots: 3_000 });
  expect(await lanes.expireDue(shop.id, clock.now())).toEqual({ expired: 0, points: 0 });
});
