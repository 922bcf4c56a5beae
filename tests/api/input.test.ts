import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../services/core/events/signature.ts';
import { fixedClock } from '../../services/core/shared/clock.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order } from '../helpers/events.ts';
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
