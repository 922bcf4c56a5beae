import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDatabase, type Database, type Db } from '../../services/db/client.ts';
import { query } from '../../services/db/sql.ts';
import { setEventStatus } from '../../services/core/events/inbound-event-repo.ts';
import { LOT_PAGE, planPosting, tryPost } from '../../services/core/ledger/posting.ts';
import { memberSnapshot, memberSnapshotStatement, redemptionSnapshot, redemptionSnapshotStatement } from '../../services/core/ledger/posting-repo.ts';
import { openLotsInOrder } from '../../services/core/ledger/lot-repo.ts';
import { findMember, findMembersByIds, lockMember, lockMemberById } from '../../services/core/members/member-repo.ts';
import { openOrderEvent, orderEventRows } from '../../services/core/orders/order-event-repo.ts';
import { findOrder, lockOrder, saveOrder } from '../../services/core/orders/order-repo.ts';
import { newOrder } from '../../services/core/orders/order-rules.ts';
import { orderEventSnapshots, writeAwards, type AwardWrite } from '../../services/core/orders/order-batch-repo.ts';
import { commitPosting } from '../../services/core/redemptions/redemption-ledger.ts';
import { heldForCart, lockRedemption, saveRedemption } from '../../services/core/redemptions/redemption-repo.ts';
import { claimKey } from '../../services/core/idempotency/idempotency-repo.ts';
import { claimBatch } from '../../services/core/outbox/outbox-repo.ts';
import { findLiveKeyByHash } from '../../services/core/shops/api-key-repo.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { AT, RUNS, awardedOrder, growShop, hold, member, orderData, seedShop, storefrontEvent } from '../helpers/plan-fixtures.ts';
import { explainExecute, explainUnnamed, planCounts, planProblems, planText, tracedConnection, type TracedConnection } from '../helpers/plans.ts';

// Issue 15: every statement runs named, and a named statement switches to a cached generic plan after five runs.
// Made on a new, never-analyzed database, that plan must still reach each table of the hot paths by its key, and
// keep doing so while the tables grow with nobody running ANALYZE (autovacuum is off on CI; on a server it does
// not look for the first minute). What keeps it so is index and statement design, no setting: each statement has
// only its key's index to choose from (docs/operations.md, "Query plans on a new database"). A new index led by
// shop_id on one of these tables, or a statement that reaches a row other than by its key, fails here.

const SHOP = 'shop_plans';
const BIG = new Set(['members', 'orders', 'inbound_events', 'ledger_entries', 'lots', 'lot_movements', 'redemptions']);
const PHASES = 3;

const MEMBER_BY_CUSTOMER = { members_shop_customer: ['shop_id', 'customer_id'] };
const MEMBER_BY_ID = { members_shop_id_id_pk: ['shop_id', 'id'] };
const OPEN_LOTS = { lots_member_open: ['shop_id', 'member_id'] };
const ORDER = { orders_shop_id_order_id_pk: ['shop_id', 'order_id'] };
const EVENT = { inbound_events_shop_id_event_id_pk: ['shop_id', 'event_id'] };
const LOT = { lots_shop_id_id_pk: ['shop_id', 'id'] };
const REDEMPTION = { redemptions_shop_id_id_pk: ['shop_id', 'id'] };

interface Case {
  label: string;
  /** Each table of the statement reached through these indexes, with these columns bound. */
  reads: Record<string, readonly string[]>;
  /** Runs the statement the `i`th time (fresh rows where it writes), on `db`; `aux` reads what it needs first. */
  run(db: Db, i: number): Promise<unknown>;
  /** PostgreSQL keeps planning it with its values (an array of keys makes the generic plan look dearer). */
  custom?: true;
}

let url: string;
let aux: Database;
const auxDb = () => aux.db;
const debit = (points: number) => ({ move: { kind: 'adjust', from: 'available', to: null, points } as const, actor: 'test' });
const snapshotOf = (customerId: string) => memberSnapshot(auxDb(), SHOP, customerId, LOT_PAGE);

const cases: Case[] = [
  { label: 'member snapshot, lock-free', reads: { ...MEMBER_BY_CUSTOMER, ...OPEN_LOTS },
    run: (db, i) => query(db, memberSnapshotStatement(SHOP, `c${i % 4}`, LOT_PAGE, false)) },
  { label: 'member snapshot, locked', reads: { ...MEMBER_BY_CUSTOMER, ...OPEN_LOTS },
    run: (db, i) => query(db, memberSnapshotStatement(SHOP, `c${i % 4}`, LOT_PAGE, true)) },
  { label: 'findMember', reads: MEMBER_BY_CUSTOMER, run: (db, i) => findMember(db, SHOP, `c${i % 4}`) },
  { label: 'lockMember', reads: MEMBER_BY_CUSTOMER, run: (db, i) => lockMember(db, SHOP, `c${i % 4}`) },
  { label: 'lockMemberById', reads: MEMBER_BY_ID, run: (db, i) => lockMemberById(db, SHOP, `mem_c${i % 4}`) },
  { label: 'open order event (a new order)', reads: {},
    run: (db, i) => openOrderEvent(db, SHOP, storefrontEvent(`open-${i}`), newOrder(SHOP, orderData(`open-${i}`, 'c3'), 'processing', AT, AT)) },
  { label: 'lockOrder', reads: ORDER, run: (db, i) => lockOrder(db, SHOP, `o-${i}`) },
  { label: 'saveOrder', reads: ORDER, run: async (db, i) => saveOrder(db, (await findOrder(auxDb(), SHOP, `o-${i}`))!) },
  { label: 'setEventStatus', reads: EVENT, run: (db, i) => setEventStatus(db, SHOP, `ev-${i}`, 'applied') },
  { label: 'open lots, first page', reads: OPEN_LOTS, run: (db, i) => openLotsInOrder(db, SHOP, `mem_c${i % 2}`, LOT_PAGE, null) },
  { label: 'open lots, next page', reads: OPEN_LOTS,
    run: async (db) => openLotsInOrder(db, SHOP, 'mem_c1', LOT_PAGE, (await snapshotOf('c1'))!.lots[0]!) },
  { label: 'redemption snapshot, lock-free', reads: { ...REDEMPTION, ...MEMBER_BY_ID, ...OPEN_LOTS },
    run: (db, i) => query(db, redemptionSnapshotStatement(SHOP, `red_${i}`, LOT_PAGE, false)) },
  { label: 'redemption snapshot, locked', reads: { ...REDEMPTION, ...MEMBER_BY_ID, ...OPEN_LOTS },
    run: (db, i) => query(db, redemptionSnapshotStatement(SHOP, `red_${i}`, LOT_PAGE, true)) },
  { label: 'lockRedemption', reads: REDEMPTION, run: (db, i) => lockRedemption(db, SHOP, `red_${i}`) },
  { label: 'saveRedemption', reads: REDEMPTION, run: async (db) => saveRedemption(db, (await lockRedemption(auxDb(), SHOP, 'red_cart'))!) },
  { label: 'order event snapshots, many at once (group commit)', reads: { ...EVENT, ...ORDER, ...MEMBER_BY_CUSTOMER },
    run: (db, i) => orderEventSnapshots(db, Array.from({ length: 8 }, (_, k) => ({ shopId: SHOP, eventId: `batch-ev-${i}-${k}`, orderId: `o-${i}`, customerId: `c${k % 4}` }))), custom: true },
  // The members' balances are updated inside lojal_balance_write, by their key (its UPDATE is the postings' own
  // shape, pinned above); the statement itself must reach no big table but through its inserts' keys.
  { label: 'awards, many at once (group commit)', reads: {}, run: async (db, i) => writeAwards(db, await awardsFor(i)) },
  { label: 'members of a group of relayed events (e-mail)', reads: MEMBER_BY_ID,
    run: (db, i) => findMembersByIds(db, SHOP, [`mem_c${i % 4}`, `mem_c${(i + 1) % 4}`]), custom: true },
  { label: 'outbox relay claim', reads: { ...MEMBER_BY_ID, ledger_entries_shop_id_id_pk: ['shop_id', 'id'] },
    run: (db) => claimBatch(db, 500) },
  { label: 'heldForCart', reads: { redemptions_cart: ['shop_id', 'member_id', 'cart_id'] }, run: (db) => heldForCart(db, SHOP, 'mem_c2', 'cart-1') },
  { label: 'posting: earn to pending with a new order (lock-free award)', reads: MEMBER_BY_ID,
    run: async (db, i) => {
      const m = await member(auxDb(), SHOP, 'c3');
      const order = awardedOrder(SHOP, `award-${i}`, m, 10);
      const attach = orderEventRows(storefrontEvent(`award-${i}`), order, null);
      return posted(tryPost(db, m, { move: { kind: 'earn', from: null, to: 'pending', points: 10 }, actor: 'storefront', orderId: order.orderId, attach }, AT));
    } },
  { label: 'posting: earn to pending on a known order', reads: { ...MEMBER_BY_ID, ...ORDER },
    run: async (db, i) => {
      const m = await member(auxDb(), SHOP, 'c3');
      const known = (await findOrder(auxDb(), SHOP, `o-${i}`))!;
      const order = { ...awardedOrder(SHOP, known.orderId, m, 10), createdAt: known.createdAt };
      const attach = orderEventRows(storefrontEvent(`paid-${i}`, 'order.paid'), order, known.version);
      return posted(tryPost(db, m, { move: { kind: 'earn', from: null, to: 'pending', points: 10 }, actor: 'storefront', orderId: order.orderId, attach }, AT));
    } },
  { label: 'posting: credit to available (a new lot)', reads: MEMBER_BY_ID,
    run: async (db) => posted(tryPost(db, await member(auxDb(), SHOP, 'c0'), { move: { kind: 'adjust', from: null, to: 'available', points: 10 }, actor: 'test' }, AT)) },
  { label: 'posting: debit from one lot', reads: { ...MEMBER_BY_ID, ...LOT },
    run: async (db) => {
      const s = (await snapshotOf('c0'))!;
      return posted(tryPost(db, s.member, debit(1), AT, s.lots));
    } },
  { label: 'posting: debit across two lots', reads: { ...MEMBER_BY_ID, ...LOT },
    run: async (db) => {
      const s = (await snapshotOf('c1'))!;
      return posted(tryPost(db, s.member, debit(2), AT, s.lots));
    } },
  { label: 'posting: hold', reads: MEMBER_BY_ID,
    run: async (db, i) => posted(tryPost(db, await member(auxDb(), SHOP, 'c2'),
      { move: { kind: 'hold', from: 'available', to: 'held', points: 1 }, actor: 'test', redemptionId: `red_h${i}`, attach: hold(`red_h${i}`, 'c2', 1) }, AT)) },
  { label: 'posting: commit of a hold', reads: { ...MEMBER_BY_ID, ...LOT, ...REDEMPTION },
    run: async (db, i) => {
      const s = (await redemptionSnapshot(auxDb(), SHOP, `red_${i}`, LOT_PAGE))!;
      return posted(tryPost(db, s.member, commitPosting(s.redemption, `o-${i}`, 'test'), AT, s.lots));
    } },
];

/** Two known members' awards and a new customer's, on new orders, planned on the members as they are now. */
async function awardsFor(i: number): Promise<AwardWrite[]> {
  const awards: AwardWrite[] = [];
  for (const customer of ['c0', 'c1']) {
    const m = await member(auxDb(), SHOP, customer);
    const order = awardedOrder(SHOP, `batch-${customer}-${i}`, m, 10);
    const posting = { move: { kind: 'earn', from: null, to: 'pending', points: 10 } as const, actor: 'storefront', orderId: order.orderId };
    const { write } = await planPosting(auxDb(), m, posting, AT);
    awards.push({ shopId: SHOP, posting: write, event: storefrontEvent(`batch-${customer}-${i}`, 'order.completed'), order, newMember: null });
  }
  const fresh = { ...(await member(auxDb(), SHOP, 'c0')), id: `mem_new_${i}`, customerId: `new-${i}`, version: 0,
    balance: { pending: 0, available: 0, held: 0 }, lifetime: { earned: 0, redeemed: 0, expired: 0 } };
  const order = awardedOrder(SHOP, `batch-new-${i}`, fresh, 10);
  const { write } = await planPosting(auxDb(), fresh, { move: { kind: 'earn', from: null, to: 'pending', points: 10 }, actor: 'storefront', orderId: order.orderId }, AT);
  awards.push({ shopId: SHOP, posting: write, event: storefrontEvent(`batch-new-${i}`, 'order.completed'), order, newMember: { customerId: fresh.customerId, profile: fresh } });
  return awards;
}

async function posted<T>(result: Promise<T | null>): Promise<T> {
  const value = await result;
  if (value === null) throw new Error('the posting missed its guard');
  return value;
}

beforeAll(async () => {
  url = await createTestDatabase();
  aux = createDatabase(url, { max: 2 });
  await seedShop(aux.db, SHOP, RUNS * PHASES);
});
afterAll(() => aux.close());

/** Runs every case `runs` times from `first` on the connection, then reads the plan its next run would use. */
async function planAll(connection: TracedConnection, first: number, runs: number) {
  const found: { label: string; name: string; generic: number; custom?: true; problems: string[]; plan: string }[] = [];
  for (const c of cases) {
    const from = connection.sent.length;
    for (let i = first; i < first + runs; i++) await c.run(connection.db, i);
    const names = [...new Set(connection.sent.slice(from).map((s) => s.name))];
    expect(names, `${c.label} runs one named statement`).toHaveLength(1);
    const last = connection.sent.at(-1)!;
    const plan = await explainExecute(connection.client, last.name!, last.values);
    const { generic } = await planCounts(connection.client, last.name!);
    found.push({ label: c.label, name: last.name!, generic, custom: c.custom, problems: planProblems(plan, c.reads, BIG), plan: planText(plan) });
  }
  return found;
}

function report(found: Awaited<ReturnType<typeof planAll>>) {
  return found.filter((f) => f.problems.length > 0).map((f) => `${f.label} (${f.name}): ${f.problems.join('; ')}\n${f.plan}`);
}

/** 20,000 more of everything, and no statistics: none of the tables has ever been analyzed. */
async function grow() {
  const grower = new pg.Client({ connectionString: url });
  await grower.connect();
  try {
    await growShop(grower, SHOP, 20_000);
    const { rows } = await grower.query(`SELECT relname FROM pg_class WHERE relname = ANY($1) AND reltuples >= 0`, [[...BIG]]);
    expect(rows, 'tables never analyzed').toEqual([]);
  } finally {
    await grower.end();
  }
}

it('plans every hot statement by its keys, from a new shop to a grown one, with no ANALYZE', { timeout: 120_000 }, async () => {
  const first = await tracedConnection(url);
  try {
    const fresh = await planAll(first, 0, RUNS);
    // The plans read are the generic ones the connection keeps (not the first runs' custom plans).
    for (const f of fresh) if (!f.custom) expect(f.generic, `${f.label} has switched to a generic plan`).toBeGreaterThan(0);
    expect(report(fresh)).toEqual([]);

    await grow();
    expect(report(await planAll(first, RUNS, 1))).toEqual([]);
  } finally {
    await first.close();
  }
  // A connection opened after the growth, still without statistics, plans it as it is now.
  const later = await tracedConnection(url);
  try {
    expect(report(await planAll(later, RUNS + 1, RUNS))).toEqual([]);
  } finally {
    await later.close();
  }
});

it('sends the idempotency claim and the API key lookup unnamed: each run is planned with its values', async () => {
  const connection = await tracedConnection(url);
  try {
    await findLiveKeyByHash(connection.db, 'a'.repeat(64), AT);
    await connection.db.transaction((tx) => claimKey(tx, SHOP, 'plans-key', 'hash', AT, 86_400_000, 1_000));
    const lookups = connection.sent.filter((s) => /^(select|insert|update|delete)/i.test(s.text));
    expect(lookups.length).toBeGreaterThanOrEqual(3);
    const keys = { api_keys_key_hash: ['key_hash'], idempotency_keys_shop_id_key_pk: ['shop_id', 'key'] };
    for (const { name, text, values } of lookups) {
      expect(name, text).toBeUndefined();
      const plan = await explainUnnamed(connection.client, text, values);
      expect(planProblems(plan, keys, new Set(['api_keys', 'idempotency_keys']), false), planText(plan)).toEqual([]);
    }
  } finally {
    await connection.close();
  }
});
