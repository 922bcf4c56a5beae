import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../services/core/common/clock.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { adjust, putMember } from '../helpers/members.ts';

// D20: every route that takes an id, called with shop B's key on shop A's ids, answers as if the id did not exist,
// and not one of shop A's rows changes. Shop A has a member with lots, a pending award, an order, a hold, a
// committed redemption and a rule: something for every route to find.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
let a: TestShop;
let b: TestShop;
const ids = { hold: '', committed: '', rule: '', keyA: '', keyB: '' };
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

beforeAll(async () => {
  t = await buildTestApp({ clock });
  a = await createShop(t.app, { name: 'A' });
  b = await createShop(t.app, { name: 'B' });
  await putMember(t.app, a, 'c-1');
  await adjust(t.app, a, 'c-1', { points: 1_000 });
  await sendEvent(t.app, a, envelope('order.completed', { order: order('o-a', { customerId: 'c-1' }) }), { t: nowSeconds() });
  const hold = (points: number) => t.app.inject({ method: 'POST', url: '/v1/redemptions', headers: a.auth, payload: { customerId: 'c-1', points } });
  ids.hold = (await hold(200)).json().id;
  ids.committed = (await hold(100)).json().id;
  // Committed by A's order o-a2, which paid 100 of its total with the points.
  const paid = { ...order('o-a2', { customerId: 'c-1', pointsAmount: 100 }), pointsRedeemed: { redemptionId: ids.committed, points: 100, amount: 100 } };
  await sendEvent(t.app, a, envelope('order.placed', { order: paid }), { t: nowSeconds() });
  const rule = await t.app.inject({ method: 'POST', url: '/v1/rules', headers: a.auth, payload: { name: 'A x2', effect: { multiplier: 2, per: 'line' } } });
  ids.rule = rule.json().id;
  const keyOf = async (shop: TestShop) => (await t.app.inject({ method: 'GET', url: `/v1/admin/shops/${shop.id}`, headers: admin })).json().apiKeys[0].id;
  ids.keyA = await keyOf(a);
  ids.keyB = await keyOf(b);
});
afterAll(() => t.close());

function nowSeconds(): number {
  return Math.floor(clock.now().getTime() / 1000);
}

/** Every row of shop A, in every table that has one, in a stable order. */
async function rowsOfA(): Promise<Record<string, unknown[]>> {
  const pool = t.container.database.pool;
  const tables = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'shop_id' ORDER BY 1`,
  );
  const all: Record<string, unknown[]> = {
    shops: (await pool.query('SELECT * FROM shops WHERE id = $1', [a.id])).rows,
  };
  for (const { table_name: table } of tables.rows) {
    const { rows } = await pool.query(`SELECT * FROM ${table} WHERE shop_id = $1`, [a.id]);
    all[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return all;
}

type Call = [method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: Record<string, unknown>];

/** Shop B's key on shop A's ids: each must be 404. `{name}` in a URL is one of shop A's ids, known after set-up. */
const ID_ROUTES: Call[] = [
  ['GET', '/v1/members/c-1'],
  ['GET', '/v1/members/c-1/activity'],
  ['GET', '/v1/members/c-1/export'],
  ['POST', '/v1/members/c-1/adjustments', { points: -500, reason: 'steal', allowNegative: true }],
  ['DELETE', '/v1/members/c-1'],
  ['GET', '/v1/orders/o-a'],
  ['GET', '/v1/orders/o-a2'],
  ['POST', '/v1/redemptions/quote', { customerId: 'c-1', orderTotal: { amount: 10_000, currency: 'PLN' } }],
  ['POST', '/v1/redemptions', { customerId: 'c-1', points: 10 }],
  ['GET', '/v1/redemptions/{hold}'],
  ['POST', '/v1/redemptions/{hold}/commit', { orderId: 'o-b' }],
  ['POST', '/v1/redemptions/{hold}/cancel'],
  ['GET', '/v1/redemptions/{committed}'],
  ['POST', '/v1/redemptions/{committed}/commit', { orderId: 'o-a2' }],
  ['POST', '/v1/redemptions/{committed}/cancel'],
  ['GET', '/v1/rules/{rule}'],
  ['PUT', '/v1/rules/{rule}', { name: 'taken over', effect: { multiplier: 10, per: 'line' } }],
  ['DELETE', '/v1/rules/{rule}'],
];

/** Operator routes: a shop key is no operator token, whichever shop it names. */
const ADMIN_ROUTES: Call[] = [
  ['GET', '/v1/admin/shops/{shopA}'],
  ['POST', '/v1/admin/shops/{shopA}/rotate-secrets', {}],
  ['DELETE', '/v1/admin/shops/{shopA}/api-keys/{keyA}'],
  ['GET', '/v1/admin/ledger/check'],
  ['POST', '/v1/admin/shops', { name: 'by B', currency: 'PLN' }],
];

function call(shop: TestShop, [method, template, payload]: Call) {
  const known: Record<string, string> = { ...ids, shopA: a.id };
  const url = template.replace(/\{(\w+)\}/g, (_, name: string) => known[name]!);
  return t.app.inject({ method, url, headers: shop.auth, ...(payload === undefined ? {} : { payload }) });
}

describe("tenant isolation: shop B's key on shop A's ids (D20)", () => {
  it.each(ID_ROUTES.map((route) => [`${route[0]} ${route[1]}`, route] as const))('%s: 404, and nothing of A changes', async (_name, route) => {
    const before = await rowsOfA();
    const response = await call(b, route);
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('not_found');
    expect(response.body).not.toContain('c-1@example.com');
    expect(await rowsOfA()).toEqual(before);
  });

  it.each(ADMIN_ROUTES.map((route) => [`${route[0]} ${route[1]}`, route] as const))('%s: 401 for a shop key, and nothing of A changes', async (_name, route) => {
    const before = await rowsOfA();
    const response = await call(b, route);
    expect(response.statusCode).toBe(401);
    expect(await rowsOfA()).toEqual(before);
  });
});

describe("tenant isolation: the rest of shop B's reach (D20)", () => {
  it("shop A's own key finds every id used above: the 404s are not for want of data", async () => {
    for (const route of ID_ROUTES.filter(([method]) => method === 'GET')) {
      expect((await call(a, route)).statusCode, route[1]).toBe(200);
    }
    expect((await call(a, ['GET', '/v1/redemptions/{hold}'])).json().status).toBe('held');
    expect((await call(a, ['GET', '/v1/redemptions/{committed}'])).json().status).toBe('committed');
  });

  it("B's events naming A's orders and A's hold touch only B", async () => {
    const before = await rowsOfA();
    const carrying = (orderId: string) => ({
      ...order(orderId, { customerId: 'c-1', pointsAmount: 200 }),
      pointsRedeemed: { redemptionId: ids.hold, points: 200, amount: 200 },
    });
    const events = [
      envelope('order.placed', { order: carrying('o-b1') }),
      envelope('order.cancelled', { order: carrying('o-b2') }),
      envelope('order.completed', { order: order('o-a', { customerId: 'c-1' }) }),
      envelope('order.refunded', { order: order('o-a', { customerId: 'c-1' }), refund: { id: 'rf-b', amount: 10_000 } }),
      envelope('order.refunded', { order: order('o-a2', { customerId: 'c-1' }), refund: { id: 'rf-b2', amount: 10_000 } }),
      envelope('order.cancelled', { order: order('o-a', { customerId: 'c-1' }) }),
      envelope('customer.upserted', { customer: { id: 'c-1', email: 'b@example.com', emailVerified: true } }),
    ];
    for (const event of events) {
      const response = await sendEvent(t.app, b, event, { t: nowSeconds() });
      expect(response.statusCode, `${event.type} ${response.body}`).toBeLessThan(500);
    }
    expect(await rowsOfA()).toEqual(before);
  });

  it("B's jobs run for B only, however late their asOf", async () => {
    const before = await rowsOfA();
    for (const [name, counts] of [['release-holds', { released: 0, points: 0 }], ['mature', { matured: 0, points: 0 }]] as const) {
      // A shop's own key may not run ahead (D18); the operator runs B's jobs as of any time, for B only.
      expect((await call(b, ['POST', `/v1/jobs/${name}`, { asOf: '2030-01-01T00:00:00Z' }])).statusCode, name).toBe(403);
      const response = await t.app.inject({
        method: 'POST', url: `/v1/admin/shops/${b.id}/jobs/${name}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload: { asOf: '2030-01-01T00:00:00Z' },
      });
      expect(response.statusCode, name).toBe(200);
      expect(response.json().counts, name).toEqual(counts);
    }
    expect(await rowsOfA()).toEqual(before);
  });

  it("B's lists and checks show B's own data only", async () => {
    const rules = (await call(b, ['GET', '/v1/rules'])).json();
    expect(rules.data.map((r: { id: string }) => r.id)).not.toContain(ids.rule);
    const check = (await call(b, ['GET', '/v1/ledger/check'])).json();
    const own = (await t.container.database.pool.query('SELECT count(*)::int AS n FROM members WHERE shop_id = $1', [b.id])).rows[0].n;
    expect(check).toMatchObject({ ok: true, members: own });
    expect((await call(b, ['GET', '/v1/shop'])).json().id).toBe(b.id);
  });

  it("the operator revoking A's key under B's shop gets 404, and A's key keeps working", async () => {
    const before = await rowsOfA();
    const response = await t.app.inject({ method: 'DELETE', url: `/v1/admin/shops/${b.id}/api-keys/${ids.keyA}`, headers: admin });
    expect(response.statusCode).toBe(404);
    expect(await rowsOfA()).toEqual(before);
    expect((await call(a, ['GET', '/v1/shop'])).json().id).toBe(a.id);
    const detailB = (await t.app.inject({ method: 'GET', url: `/v1/admin/shops/${b.id}`, headers: admin })).json();
    expect(detailB.apiKeys.map((k: { id: string }) => k.id)).toEqual([ids.keyB]);
  });
});
