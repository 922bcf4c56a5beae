import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, UNLIMITED_RATES, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { signatureHeader } from '../../services/core/events/signature.ts';
import { envelope, order } from '../helpers/events.ts';
import { adjust, putMember } from '../helpers/members.ts';
import { wcOrder } from '../helpers/woocommerce.ts';
import { wcSignature } from '../../services/core/woocommerce/wc-signature.ts';

// No shop can stall the others: every mutating route, sent with Idempotency-Keys by more concurrent requests than
// the pool has connections, runs inside its request transaction (one connection each, db/request-tx.ts), so the
// pool never fills with transactions each waiting for a second connection. Meanwhile another shop is served.

let t: TestApp;
let busy: TestShop;
let bystander: TestShop;
let spare: TestShop;
let burst: number;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

beforeAll(async () => {
  t = await buildTestApp({
    // One key's bursts on route after route, some 300 calls in a few seconds: more than a key may (D21).
    env: UNLIMITED_RATES,
    // A failure after the handler, before the answer is stored (D15: the effect must roll back with it).
    beforeReady: (app) =>
      app.addHook('preSerialization', async (request) => {
        if (request.headers['x-test-fail-after-handler']) throw new Error('failed after the handler');
      }),
  });
  burst = t.config.databasePoolMax + 4;
  [busy, bystander, spare] = [await createShop(t.app), await createShop(t.app), await createShop(t.app)];
  await putMember(t.app, bystander, 'b-1');
  await putMember(t.app, busy, 'rich');
  expect((await adjust(t.app, busy, 'rich', { points: 1_000_000 })).statusCode).toBe(201);
});
afterAll(() => t.close());

type Request = InjectOptions;
interface Route {
  name: string;
  /** Makes what request `i` of the burst needs (members, rules, holds, keys) before the burst starts. */
  prepare?: (i: number) => Promise<unknown>;
  request: (i: number, prepared: unknown) => Request;
  ok: number;
}

const post = (url: string, payload: unknown, headers = busy.auth): Request => ({ method: 'POST', url, headers, payload: payload as object });
const rule = { name: 'x2', conditions: {}, effect: { multiplier: 2, per: 'line' } };

async function created(request: Request): Promise<Record<string, unknown>> {
  const response = await t.app.inject(request);
  if (response.statusCode >= 300) throw new Error(`${request.url}: ${response.statusCode} ${response.body}`);
  return response.json();
}
/** A signed storefront event (the route deduplicates by event id; an Idempotency-Key is ignored there). */
function signed(event: unknown): Request {
  const raw = JSON.stringify(event);
  const signature = signatureHeader(busy.webhookSecret, raw, Math.floor(Date.now() / 1000));
  return { method: 'POST', url: '/v1/events', headers: { ...busy.auth, 'content-type': 'application/json', 'lojal-signature': signature }, payload: raw };
}

let sharedRule: Promise<Record<string, unknown>> | undefined;
const TIERS = {
  basis: 'points', window: 'calendarYear', retainMonths: 0, stepDown: false,
  tiers: [{ id: 'base', name: 'Member', threshold: 0, multiplier: 1, benefits: [] }, { id: 'gold', name: 'Gold', threshold: 100, multiplier: 2, benefits: [] }],
};
let sharedTiers: Promise<Record<string, unknown>> | undefined;
const withTiers = () => (sharedTiers ??= created({ method: 'PUT', url: '/v1/tiers', headers: busy.auth, payload: TIERS }));
const hold = () => created(post('/v1/redemptions', { customerId: 'rich', points: 1 }));

const ROUTES: Route[] = [
  { name: 'PUT /v1/members/{id}', request: (i) => ({ method: 'PUT', url: `/v1/members/put-${i}`, headers: busy.auth, payload: { locale: 'pl' } }), ok: 201 },
  {
    name: 'DELETE /v1/members/{id}',
    prepare: (i) => putMember(t.app, busy, `del-${i}`),
    request: (i) => ({ method: 'DELETE', url: `/v1/members/del-${i}`, headers: busy.auth }),
    ok: 204,
  },
  { name: 'POST /v1/members/{id}/adjustments', request: () => post('/v1/members/rich/adjustments', { points: 5, reason: 'burst' }), ok: 201 },
  { name: 'POST /v1/members/{id}/bonuses', request: (i) => post('/v1/members/rich/bonuses', { kind: 'custom', reference: `burst-${i}`, points: 5 }), ok: 201 },
  {
    name: 'POST /v1/members/{id}/feedback',
    prepare: (i) => created(signed(envelope('order.completed', { order: order(`fb-${i}`, { customerId: 'rich' }) }))),
    request: (i) => post('/v1/members/rich/feedback', { orderId: `fb-${i}`, score: i % 11 }),
    ok: 201,
  },
  { name: 'PUT /v1/program', request: (i) => ({ method: 'PUT', url: '/v1/program', headers: busy.auth, payload: { pendingDays: i } }), ok: 200 },
  { name: 'POST /v1/rules', request: () => post('/v1/rules', rule), ok: 201 },
  {
    name: 'PUT /v1/rules/{id}',
    prepare: () => (sharedRule ??= created(post('/v1/rules', rule))), // one rule, replaced by every request
    request: (i, r) => ({ method: 'PUT', url: `/v1/rules/${(r as { id: string }).id}`, headers: busy.auth, payload: { ...rule, name: `v${i}` } }),
    ok: 200,
  },
  {
    name: 'DELETE /v1/rules/{id}',
    prepare: () => created(post('/v1/rules', rule)),
    request: (_i, r) => ({ method: 'DELETE', url: `/v1/rules/${(r as { id: string }).id}`, headers: busy.auth }),
    ok: 204,
  },
  { name: 'POST /v1/redemptions/quote', request: () => post('/v1/redemptions/quote', { customerId: 'rich', orderTotal: { amount: 5000, currency: 'PLN' } }), ok: 200 },
  { name: 'POST /v1/redemptions', request: () => post('/v1/redemptions', { customerId: 'rich', points: 3 }), ok: 201 },
  { name: 'POST /v1/redemptions/{id}/commit', prepare: hold, request: (i, h) => post(`/v1/redemptions/${(h as { id: string }).id}/commit`, { orderId: `o-${i}` }), ok: 200 },
  { name: 'POST /v1/redemptions/{id}/cancel', prepare: hold, request: (_i, h) => post(`/v1/redemptions/${(h as { id: string }).id}/cancel`, undefined), ok: 200 },
  {
    name: 'POST /v1/imports',
    request: (i) => ({
      method: 'POST',
      url: '/v1/imports',
      headers: { ...busy.auth, 'content-type': 'application/x-ndjson' },
      payload: [`{"customerId":"rich","points":1,"reference":"burst-${i}"}`, `{"customerId":"imp-${i}","points":2,"reference":"burst-new-${i}"}`].join('\n'),
    }),
    ok: 200,
  },
  { name: 'POST /v1/events', request: (i) => signed(envelope('order.completed', { order: order(`burst-${i}`, { customerId: 'rich' }) })), ok: 202 },
  {
    name: 'POST /v1/shops/{id}/woocommerce',
    request: (i) => {
      const raw = JSON.stringify(wcOrder({
        id: 5000 + i, status: 'completed', customerId: 900 + i, email: `wc${i}@example.com`, currency: 'PLN',
        lines: [{ id: 1, productId: 11, quantity: 1, subtotal: '10.00', total: '10.00' }], total: '10.00',
        created: '2026-11-20T10:00:00', modified: '2026-11-20T10:01:00', paid: '2026-11-20T10:01:00', completed: '2026-11-20T10:01:00',
      }));
      const headers = { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.updated', 'x-wc-webhook-signature': wcSignature(busy.webhookSecret, raw) };
      return { method: 'POST', url: `/v1/shops/${busy.id}/woocommerce`, headers, payload: raw };
    },
    ok: 200,
  },
  { name: 'POST /v1/jobs/mature', request: () => post('/v1/jobs/mature', {}), ok: 200 },
  { name: 'POST /v1/jobs/release-holds', request: () => post('/v1/jobs/release-holds', {}), ok: 200 },
  { name: 'POST /v1/jobs/webhooks', request: () => post('/v1/jobs/webhooks', {}), ok: 200 },
  { name: 'POST /v1/jobs/birthdays', request: () => post('/v1/jobs/birthdays', {}), ok: 200 },
  { name: 'POST /v1/jobs/tiers', request: () => post('/v1/jobs/tiers', {}), ok: 200 },
  { name: 'PUT /v1/tiers', request: (i) => ({ method: 'PUT', url: '/v1/tiers', headers: busy.auth, payload: { ...TIERS, retainMonths: i % 12 } }), ok: 200 },
  {
    name: 'PUT /v1/members/{id}/tier',
    prepare: withTiers,
    request: (i) => ({ method: 'PUT', url: '/v1/members/rich/tier', headers: busy.auth, payload: { tierId: i % 2 === 0 ? 'gold' : 'base', reason: `burst ${i}` } }),
    ok: 200,
  },
  {
    name: 'POST /v1/earning/quote',
    request: () => post('/v1/earning/quote', { customerId: 'rich', lines: [{ id: '1', productId: 'p1', sku: 'S1', categories: [], quantity: 1, unitPrice: 1000 }] }),
    ok: 200,
  },
  {
    name: 'PUT /v1/webhooks',
    request: (i) => ({ method: 'PUT', url: '/v1/webhooks', headers: busy.auth, payload: { url: `https://shop.example/hooks/${i}`, enabled: i % 2 === 0 } }),
    ok: 200,
  },
  { name: 'POST /v1/admin/shops', request: (i) => post('/v1/admin/shops', { name: `burst ${i}`, currency: 'PLN' }, admin), ok: 201 },
  { name: 'POST /v1/admin/shops/{id}/rotate-secrets', request: () => post(`/v1/admin/shops/${spare.id}/rotate-secrets`, { overlapHours: 1 }, admin), ok: 200 },
  {
    name: 'DELETE /v1/admin/shops/{id}/api-keys/{keyId}',
    prepare: async () => {
      await created(post(`/v1/admin/shops/${spare.id}/rotate-secrets`, { overlapHours: 1 }, admin));
      const detail = await created({ method: 'GET', url: `/v1/admin/shops/${spare.id}`, headers: admin });
      return (detail.apiKeys as { id: string }[])[0]!.id; // the newest
    },
    request: (_i, keyId) => ({ method: 'DELETE', url: `/v1/admin/shops/${spare.id}/api-keys/${keyId as string}`, headers: admin }),
    ok: 204,
  },
];

/** Each request of the burst with its own Idempotency-Key, all at once; the bystander's reads meanwhile. */
async function burstWithBystander(requests: Request[]): Promise<{ responses: LightMyRequestResponse[]; reads: { status: number; ms: number }[] }> {
  let running = true;
  const all = Promise.all(
    requests.map((request, i) => t.app.inject({ ...request, headers: { ...request.headers, 'idempotency-key': `burst-${Date.now()}-${i}` } })),
  ).finally(() => (running = false));
  const reads: { status: number; ms: number }[] = [];
  const watch = (async () => {
    // At least three reads, and more for as long as the burst lasts.
    for (let n = 0; running || n < 3; n++) {
      const started = performance.now();
      const read = await t.app.inject({ method: 'GET', url: '/v1/members/b-1', headers: bystander.auth });
      reads.push({ status: read.statusCode, ms: performance.now() - started });
    }
  })();
  const [responses] = await Promise.all([all, watch]);
  return { responses, reads };
}

function expectServed(responses: LightMyRequestResponse[], reads: { status: number; ms: number }[]): void {
  const failed = responses.filter((r) => r.statusCode >= 500).map((r) => `${r.statusCode} ${r.body}`);
  expect(failed).toEqual([]);
  expect(reads.map((r) => r.status)).toEqual(reads.map(() => 200));
  // The pool waits 5 s for a free connection before failing; a stalled pool shows as reads that long.
  expect(Math.max(...reads.map((r) => r.ms))).toBeLessThan(4_000);
}

describe('concurrent idempotent writes never stall the pool', () => {
  it.each(ROUTES.map((route) => [route.name, route] as const))('%s, more at once than the pool has connections', async (_name, route) => {
    const prepared: unknown[] = [];
    for (let i = 0; i < burst; i++) {
      prepared.push(await route.prepare?.(i));
    }
    const { responses, reads } = await burstWithBystander(prepared.map((p, i) => route.request(i, p)));
    expectServed(responses, reads);
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => route.ok));
  });

  it('every mutating route at once', async () => {
    const requests: Request[] = [];
    for (const route of ROUTES) {
      for (let i = 0; i < 3; i++) {
        requests.push(route.request(100 + i, await route.prepare?.(100 + i)));
      }
    }
    expect(requests.length).toBeGreaterThan(t.config.databasePoolMax * 2);
    const { responses, reads } = await burstWithBystander(requests);
    expectServed(responses, reads);
  });

  it('commits the program change with its stored answer or not at all (D15)', async () => {
    const before = (await created({ method: 'GET', url: '/v1/program', headers: busy.auth })).restoreGraceDays;
    const put = (fail: boolean) =>
      t.app.inject({
        method: 'PUT',
        url: '/v1/program',
        headers: { ...busy.auth, 'idempotency-key': 'program-d15', ...(fail ? { 'x-test-fail-after-handler': '1' } : {}) },
        payload: { restoreGraceDays: 77 },
      });
    // The handler has written; then the request fails before its answer is stored: the write goes with it.
    expect((await put(true)).statusCode).toBe(500);
    const row = await t.container.database.pool.query(`SELECT settings->'restoreGraceDays' AS v FROM programs WHERE shop_id = $1`, [busy.id]);
    expect(row.rows[0]?.v ?? before).toBe(before);
    // Nothing was remembered for the key either: the retry runs.
    const retry = await put(false);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.json().restoreGraceDays).toBe(77);
  });
});
