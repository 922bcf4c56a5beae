import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../services/core/events/signature.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { putMember } from '../helpers/members.ts';

// Bad input gets a 4xx problem+json with a stable code and nothing is written; never a 500 (a storefront retries a
// 5xx forever).

const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
let shop: TestShop;
beforeAll(async () => {
  t = await buildTestApp({ clock });
  shop = await createShop(t.app);
  await putMember(t.app, shop, 'c1');
});
afterAll(() => t.close());

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const send = (event: unknown, raw?: string) =>
  sendEvent(t.app, shop, event, { t: Math.floor(clock.now().getTime() / 1000), ...(raw === undefined ? {} : { raw }) });

/** Every row the shop has, table by table: what a refused request must leave as it was. */
async function written(shopId = shop.id) {
  const tables = ['members', 'inbound_events', 'orders', 'refunds', 'rules', 'redemptions', 'ledger_entries', 'idempotency_keys'];
  const counts = await Promise.all(
    tables.map(async (table) => [table, (await t.container.database.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE shop_id = $1`, [shopId])).rows[0].n]),
  );
  const program = (await t.container.database.pool.query(`SELECT settings FROM programs WHERE shop_id = $1`, [shopId])).rows[0]?.settings ?? null;
  const shops = (await t.container.database.pool.query(`SELECT count(*)::int AS n FROM shops`)).rows[0].n;
  return { ...Object.fromEntries(counts), program, shops };
}

interface Response {
  statusCode: number;
  headers: Record<string, unknown>;
  json(): any;
}

/** A 400 validation_failed problem that names `fields` among its errors. */
function expectRefused(response: Response, fields: string[], status = 400, code = 'validation_failed') {
  expect(response.statusCode, JSON.stringify(response.json())).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json();
  expect(body).toMatchObject({ status, code });
  const named = (body.errors ?? []).map((e: { field: string }) => e.field);
  for (const field of fields) expect(named).toContain(field);
  return body;
}

type Request = { method: 'GET' | 'PUT' | 'POST' | 'DELETE'; url: string; payload?: unknown; headers?: Record<string, string> };
const inject = (r: Request) =>
  t.app.inject({
    method: r.method,
    url: r.url,
    headers: { ...shop.auth, ...(r.payload === undefined ? {} : { 'content-type': 'application/json' }), ...r.headers },
    ...(r.payload === undefined ? {} : { payload: typeof r.payload === 'string' ? r.payload : JSON.stringify(r.payload) }),
  });

describe('text PostgreSQL cannot store (U+0000, unpaired surrogates): 400 naming the field, before anything is written', () => {
  it.each<[string, Request, string[]]>([
    ['a name', { method: 'PUT', url: '/v1/members/c2', payload: { firstName: 'A\u0000na' } }, ['/firstName']],
    ['a path (%00)', { method: 'PUT', url: '/v1/members/c%00x', payload: {} }, ['params/customerId']],
    ['a reason', { method: 'POST', url: '/v1/members/c1/adjustments', payload: { points: 10, reason: 'x\u0000' } }, ['/reason']],
    ['a query string', { method: 'GET', url: '/v1/rules?cursor=a%00' }, ['query/cursor']],
    ['a cart id', { method: 'POST', url: '/v1/redemptions', payload: { customerId: 'c1', points: 1, cartId: '\u0000' } }, ['/cartId']],
    ['a rule name', { method: 'POST', url: '/v1/rules', payload: { name: 'r\u0000', effect: { multiplier: 2, per: 'line' } } }, ['/name']],
    ['a list item', { method: 'POST', url: '/v1/rules', payload: { name: 'r', conditions: { skus: ['a', 'b\u0000'] }, effect: { multiplier: 2, per: 'line' } } }, ['/conditions/skus/1']],
    ['an unpaired surrogate', { method: 'PUT', url: '/v1/members/c3', payload: '{"lastName":"\\ud800"}' }, ['/lastName']],
    ['a shop name', { method: 'POST', url: '/v1/admin/shops', payload: { name: 'S\u0000', currency: 'PLN' }, headers: admin }, ['/name']],
  ])('in %s', async (_what, request, fields) => {
    const before = await written();
    expectRefused(await inject(request), fields);
    expect(await written()).toEqual(before);
  });

  it.each<[string, () => unknown, string[]]>([
    ['an order id', () => envelope('order.paid', { order: order('o\u0000') }), ['/data/order/id']],
    ['a customer name', () => envelope('customer.upserted', { customer: { id: 'c9', firstName: 'A\u0000' } }), ['/data/customer/firstName']],
    ['a refund reason', () => envelope('order.refunded', { order: order('o-r'), refund: { id: 'rf', amount: 1, reason: '\u0000' } }), ['/data/refund/reason']],
    ['a field no schema names (stored with the event)', () => envelope('order.paid', { order: { ...order('o-x'), note: 'gift\u0000' } }), ['/data/order/note']],
    ['the name of such a field', () => envelope('order.paid', { order: { ...order('o-y'), ['n\u0000']: 1 } }), ['/data/order/n\u0000']],
    ['an event id', () => envelope('order.paid', { order: order('o-z') }, undefined, 'e\u0000'), ['/id']],
  ])('in a storefront event: %s', async (_what, event, fields) => {
    const before = await written();
    expectRefused(await send(event()), fields);
    expect(await written()).toEqual(before);
  });

  it('in an unpaired surrogate of an event field nobody reads', async () => {
    const raw = JSON.stringify(envelope('order.paid', { order: { ...order('o-s'), note: 'MARK' } })).replace('MARK', '\\udc00');
    const before = await written();
    expectRefused(await send(null, raw), ['/data/order/note']);
    expect(await written()).toEqual(before);
  });

  it('in nesting too deep to store (a signed event 100 000 levels deep)', async () => {
    const raw = JSON.stringify(envelope('order.paid', { order: { ...order('o-d'), meta: 'MARK' } })).replace('"MARK"', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const before = await written();
    const body = expectRefused(await send(null, raw), []);
    expect(body.errors).toEqual([{ field: expect.stringMatching(/^\/data\/order\/meta(\/0)+$/), message: 'must not nest deeper than 64 levels' }]);
    expect(await written()).toEqual(before);
  });

  it('keeps an unknown route 404 whatever it carries', async () => {
    expectRefused(await inject({ method: 'GET', url: '/v1/nowhere%00' }), [], 404, 'not_found');
  });
});

describe('ids: not blank, no control characters, taken exactly as sent', () => {
  const bad = ['%20%20', '%09', 'c%01', 'c%7F', 'c%C2%85', '%E3%80%80'];
  it.each(bad)('refuses the path id %s', async (id) => {
    const before = await written();
    for (const request of [
      { method: 'PUT', url: `/v1/members/${id}`, payload: {} },
      { method: 'GET', url: `/v1/orders/${id}` },
      { method: 'GET', url: `/v1/rules/${id}` },
      { method: 'POST', url: `/v1/redemptions/${id}/cancel` },
    ] as Request[]) {
      const body = expectRefused(await inject(request), []);
      expect(body.errors[0].field, request.url).toMatch(/^params\//);
      expect(body.errors[0].message).toBe('must not be blank or hold control characters');
    }
    expect(await written()).toEqual(before);
  });

  it.each(['  ', '\t', 'c\u0001', 'c\n', '\u00a0'])('refuses the body id %j', async (id) => {
    const before = await written();
    expectRefused(await inject({ method: 'POST', url: '/v1/redemptions', payload: { customerId: id, points: 1 } }), ['/customerId']);
    expectRefused(await inject({ method: 'POST', url: '/v1/redemptions', payload: { customerId: 'c1', points: 1, cartId: id } }), ['/cartId']);
    expectRefused(await inject({ method: 'POST', url: '/v1/redemptions/red_x/commit', payload: { orderId: id } }), ['/orderId']);
    expectRefused(await inject({ method: 'PUT', url: '/v1/members/c4', payload: { referredBy: id } }), ['/referredBy']);
    expectRefused(await send(envelope('customer.upserted', { customer: { id } })), ['/data/customer/id']);
    expectRefused(await send(envelope('order.paid', { order: order(id) })), ['/data/order/id']);
    expectRefused(await send(envelope('order.paid', { order: order('o-l', { lines: [{ id, unitPrice: 100 }] }) })), ['/data/order/lines/0/id']);
    expectRefused(await send(envelope('order.refunded', { order: order('o-r'), refund: { id, amount: 1 } })), ['/data/refund/id']);
    expectRefused(await send(envelope('order.paid', { order: order('o-e') }, undefined, id)), ['/id']);
    expect(await written()).toEqual(before);
  });

  it('keeps spaces around an id as part of it: " c5" is not "c5"', async () => {
    const spaced = await inject({ method: 'PUT', url: '/v1/members/%20c5', payload: {} });
    expect(spaced.statusCode).toBe(201);
    expect(spaced.json().customerId).toBe(' c5');
    expect((await inject({ method: 'GET', url: '/v1/members/c5' })).statusCode).toBe(404);
  });
});

describe('birthdays: a real day from 1900-01-01 to today', () => {
  it.each(['0000-01-01', '1899-12-31', '2026-11-21'])('refuses %s from a member write and from storefront customers', async (birthday) => {
    const before = await written();
    const body = expectRefused(await inject({ method: 'PUT', url: '/v1/members/c6', payload: { birthday } }), ['/birthday']);
    expect(body.errors).toContainEqual({ field: '/birthday', message: 'must be from 1900-01-01 to today' });
    expectRefused(await send(envelope('customer.upserted', { customer: { id: 'c6', birthday } })), ['/data/customer/birthday']);
    const withCustomer = order('o-b');
    expectRefused(await send(envelope('order.paid', { order: { ...withCustomer, customer: { ...withCustomer.customer, id: 'c7', birthday } } })), ['/data/order/customer/birthday']);
    expect(await written()).toEqual(before);
  });

  it('takes the edges', async () => {
    expect((await inject({ method: 'PUT', url: '/v1/members/c8', payload: { birthday: '1900-01-01' } })).statusCode).toBe(201);
    expect((await inject({ method: 'PUT', url: '/v1/members/c8', payload: { birthday: '2026-11-20' } })).json().birthday).toBe('2026-11-20');
  });
});

describe('unknown fields in API writes: 400 naming them (storefront events keep theirs)', () => {
  it.each<[string, Request, string[]]>([
    ['program', { method: 'PUT', url: '/v1/program', payload: { pointsPerUnitt: 2 } }, ['/pointsPerUnitt']],
    ['program, nested', { method: 'PUT', url: '/v1/program', payload: { redemption: { minPoint: 5 }, expiry: { policy: 'none', month: 3 } } }, ['/redemption/minPoint', '/expiry/month']],
    ['rule', { method: 'POST', url: '/v1/rules', payload: { name: 'r', priority: 1, effect: { multiplier: 2, per: 'line', cap: 10 } } }, ['/priority', '/effect/cap']],
    ['rule conditions', { method: 'POST', url: '/v1/rules', payload: { name: 'r', conditions: { sku: ['a'] }, effect: { multiplier: 2, per: 'line' } } }, ['/conditions/sku']],
    ['member', { method: 'PUT', url: '/v1/members/c9', payload: { firstname: 'Ana' } }, ['/firstname']],
    ['adjustment', { method: 'POST', url: '/v1/members/c1/adjustments', payload: { points: 5, reason: 'x', expires: '2027-01-01T00:00:00Z' } }, ['/expires']],
    ['quote', { method: 'POST', url: '/v1/redemptions/quote', payload: { customerId: 'c1', orderTotal: { amount: 100, currency: 'PLN', tax: 0 } } }, ['/orderTotal/tax']],
    ['hold', { method: 'POST', url: '/v1/redemptions', payload: { customerId: 'c1', points: 1, cart: 'x' } }, ['/cart']],
    ['commit', { method: 'POST', url: '/v1/redemptions/red_x/commit', payload: { orderId: 'o', order: 'o' } }, ['/order']],
    ['job', { method: 'POST', url: '/v1/jobs/mature', payload: { dryrun: true } }, ['/dryrun']],
    ['shop', { method: 'POST', url: '/v1/admin/shops', payload: { name: 'S', currency: 'PLN', timeZone: 'Europe/Warsaw' }, headers: admin }, ['/timeZone']],
    ['rotation', { method: 'POST', url: `/v1/admin/shops/shop_x/rotate-secrets`, payload: { overlap: 1 }, headers: admin }, ['/overlap']],
  ])('%s', async (_what, request, fields) => {
    const before = await written();
    const body = expectRefused(await inject(request), fields);
    expect(body.errors).toContainEqual({ field: fields[0], message: 'is not a field of this request' });
    expect(await written()).toEqual(before);
  });

  it('lets storefront events carry fields Lojal does not read', async () => {
    const event = envelope('customer.upserted', { customer: { id: 'c10', email: 'c10@example.com', phone: '+48' }, source: 'woo' });
    const response = await send({ ...event, webhookId: 7 });
    expect(response.statusCode).toBe(202);
  });
});

describe('cursors: one this API did not give out is 400', () => {
  it('pages rules with the nextCursor it gave, and refuses any other', async () => {
    const other = await createShop(t.app);
    for (const name of ['a', 'b', 'c']) {
      await t.app.inject({ method: 'POST', url: '/v1/rules', headers: other.auth, payload: { name, effect: { bonusPoints: 1, per: 'order' } } });
    }
    const first = (await t.app.inject({ method: 'GET', url: '/v1/rules?limit=2', headers: other.auth })).json();
    expect(first.data).toHaveLength(2);
    const second = (await t.app.inject({ method: 'GET', url: `/v1/rules?limit=2&cursor=${first.nextCursor}`, headers: other.auth })).json();
    expect(second).toMatchObject({ data: [expect.anything()], nextCursor: null });
    expect([...first.data, ...second.data].map((r: { name: string }) => r.name).sort()).toEqual(['a', 'b', 'c']);
    for (const cursor of ['garbage', 'rule_', `${first.nextCursor}x`, first.nextCursor.replace('rule_', 'red_'), '0']) {
      const response = await t.app.inject({ method: 'GET', url: `/v1/rules?cursor=${encodeURIComponent(cursor)}`, headers: other.auth });
      expect(expectRefused(response, ['query/cursor']).errors).toEqual([{ field: 'query/cursor', message: 'is not a cursor this API gave out' }]);
    }
  });

  it('refuses an activity cursor with anything added to it', async () => {
    await putMember(t.app, shop, 'pager');
    for (const points of [1, 2, 3]) await inject({ method: 'POST', url: '/v1/members/pager/adjustments', payload: { points, reason: 'r' } });
    const { nextCursor } = (await inject({ method: 'GET', url: '/v1/members/pager/activity?limit=1' })).json();
    expect((await inject({ method: 'GET', url: `/v1/members/pager/activity?limit=1&cursor=${nextCursor}` })).statusCode).toBe(200);
    expectRefused(await inject({ method: 'GET', url: `/v1/members/pager/activity?cursor=${nextCursor}!!` }), ['query/cursor']);
  });
});

describe('decimal settings, exactly', () => {
  it.each([1.15, 2.55, 0.0003, 9999.9999, 0.07])('keeps pointsPerUnit %s as sent', async (pointsPerUnit) => {
    const other = await createShop(t.app);
    const response = await t.app.inject({ method: 'PUT', url: '/v1/program', headers: other.auth, payload: { pointsPerUnit } });
    expect(response.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/v1/program', headers: other.auth })).json().pointsPerUnit).toBe(pointsPerUnit);
  });

  it('refuses a fifth decimal place, naming the field', async () => {
    const response = await inject({ method: 'PUT', url: '/v1/program', payload: { pointsPerUnit: 1.00005 } });
    expect(expectRefused(response, ['/pointsPerUnit']).errors).toEqual([{ field: '/pointsPerUnit', message: 'must have at most 4 decimal places' }]);
  });

  it('earns exactly under a ×1.15 rule: 100.00 PLN gives 115 points', async () => {
    const other = await createShop(t.app);
    const rule = await t.app.inject({ method: 'POST', url: '/v1/rules', headers: other.auth, payload: { name: 'x1.15', effect: { multiplier: 1.15, per: 'line' } } });
    expect(rule.statusCode).toBe(201);
    expect(rule.json().effect.multiplier).toBe(1.15);
    const event = envelope('order.completed', { order: order('o-115', { lines: [{ unitPrice: 10_000 }] }) });
    expect((await sendEvent(t.app, other, event, { t: Math.floor(clock.now().getTime() / 1000) })).statusCode).toBe(202);
    const placed = (await t.app.inject({ method: 'GET', url: '/v1/orders/o-115', headers: other.auth })).json();
    expect(placed.award).toMatchObject({ points: 115, lines: [expect.objectContaining({ multiplier: '1.15' })] });
    const refused = await t.app.inject({ method: 'POST', url: '/v1/rules', headers: other.auth, payload: { name: 'r', effect: { multiplier: 1.155, per: 'line' } } });
    expectRefused(refused, ['/effect/multiplier']);
  });
});

describe('storefront events are signed JSON', () => {
  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream'])(
    '415 unsupported_media_type for %s, even signed, and nothing is written',
    async (contentType) => {
      const raw = JSON.stringify(envelope('order.paid', { order: order('o-t') }));
      const ts = Math.floor(clock.now().getTime() / 1000);
      const before = await written();
      for (const signature of [signatureHeader(shop.webhookSecret, raw, ts), undefined]) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/v1/events',
          headers: { ...shop.auth, 'content-type': contentType, ...(signature ? { 'lojal-signature': signature } : {}) },
          payload: raw,
        });
        expectRefused(response, [], 415, 'unsupported_media_type');
      }
      expect(await written()).toEqual(before);
    },
  );
});
