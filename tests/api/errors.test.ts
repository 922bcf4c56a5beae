import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';

let t: TestApp;
let shop: TestShop;
beforeAll(async () => {
  t = await buildTestApp({
    env: { BODY_LIMIT_BYTES: '2048' },
    // An unexpected failure deep inside: a query against a table that does not exist.
    beforeReady: (app) =>
      app.get('/v1/test-only/boom', async () => {
        await t.container.database.pool.query('SELECT secret_column FROM table_that_is_not_there');
        return { unreachable: true };
      }),
  });
  shop = await createShop(t.app);
});
afterAll(() => t.close());

const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

/** Rows in every table of the file's database: what a refused request must leave as it was. */
async function rowCounts(): Promise<Record<string, number>> {
  const pool = t.container.database.pool;
  const tables = await pool.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
  const counts: Record<string, number> = {};
  for (const { tablename } of tables.rows) counts[tablename] = (await pool.query(`SELECT count(*)::int AS n FROM ${tablename}`)).rows[0].n;
  return counts;
}

function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; json(): any }, status: number, code: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json();
  expect(body).toMatchObject({ status, code, type: `urn:lojal:problem:${code}` });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(body.requestId).toBe(response.headers['x-request-id']);
  return body;
}

describe('problem+json for every failure', () => {
  it('400 validation_failed lists the offending fields', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/shops',
      headers: admin,
      payload: { name: 7, currency: 'pln' },
    });
    const body = expectProblem(response, 400, 'validation_failed');
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['/currency', '/name']);
  });

  it('400 invalid_json for a malformed body, and nothing is written', async () => {
    const before = await rowCounts();
    const broken = '{"name": "x", "currency": ';
    const json = { 'content-type': 'application/json' };
    const keyed = (key: string) => ({ ...shop.auth, ...json, 'idempotency-key': key });
    const calls = [
      { method: 'POST', url: '/v1/admin/shops', headers: admin },
      { method: 'POST', url: '/v1/admin/shops', headers: { ...admin, 'idempotency-key': 'broken-2' } },
      { method: 'PUT', url: '/v1/members/m-broken', headers: keyed('broken-3') },
      { method: 'POST', url: '/v1/members/m-broken/adjustments', headers: keyed('broken-4') },
      { method: 'PUT', url: '/v1/program', headers: { ...shop.auth, ...json } },
      { method: 'POST', url: '/v1/rules', headers: { ...shop.auth, ...json } },
      { method: 'POST', url: '/v1/redemptions', headers: keyed('broken-5') },
    ] as const;
    for (const call of calls) expectProblem(await t.app.inject({ ...call, payload: broken }), 400, 'invalid_json');
    expect(await rowCounts()).toEqual(before);
  });

  it('415 unsupported_media_type for a body that is not JSON', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/shops',
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: 'name,currency',
    });
    expectProblem(response, 415, 'unsupported_media_type');
  });

  it('401 unauthorized', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/shop' }), 401, 'unauthorized');
  });

  it('404 not_found for an unknown route, with or without a key', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/nowhere' }), 404, 'not_found');
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/nowhere', headers: shop.auth }), 404, 'not_found');
  });

  it('404 not_found for a job a shop may not run: unknown, a global sweep, or not a job at all', async () => {
    for (const name of ['no-such-job', 'mature-awards', 'purge-idempotency-keys', 'purge-inbound-events', 'constructor', '__proto__']) {
      const response = await t.app.inject({ method: 'POST', url: `/v1/jobs/${name}`, headers: shop.auth, payload: {} });
      const body = expectProblem(response, 404, 'not_found');
      expect(body.detail, name).toContain('(available: mature, expire, remind, mail, release-holds, webhooks, tiers, feedback-requests, birthdays)');
    }
  });

  it('413 payload_too_large past BODY_LIMIT_BYTES', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/shops',
      headers: admin,
      payload: JSON.stringify({ name: 'x'.repeat(4096), currency: 'PLN' }),
    });
    expectProblem(response, 413, 'payload_too_large');
  });

  it('500 internal_error reveals nothing but the request id', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/v1/test-only/boom',
      headers: { ...shop.auth, 'x-request-id': 'req-boom-1' },
    });
    const body = expectProblem(response, 500, 'internal_error');
    expect(body.requestId).toBe('req-boom-1');
    expect(body.detail).toContain('req-boom-1');
    expect(response.body).not.toMatch(/table_that_is_not_there|secret_column|SELECT|relation|at .*\.ts|stack/i);
    expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'requestId', 'status', 'title', 'type']);
  });

  it('answers with a fresh request id when the given one is unsafe', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id\n' } });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('router and HTTP server errors are problem+json too', () => {
  it('400 invalid_url for a path with malformed percent-encoding', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/members/%E0%A4%A', headers: shop.auth });
    expectProblem(response, 400, 'invalid_url');
  });

  it('reaches every id the schemas take (128 characters, even outside the BMP); 400 past it, 414 past the router', async () => {
    for (const id of ['x'.repeat(101), 'x'.repeat(128), '\u{1F600}'.repeat(128)]) {
      const url = `/v1/members/${encodeURIComponent(id)}`;
      const created = await t.app.inject({ method: 'PUT', url, headers: shop.auth, payload: {} });
      expect(created.statusCode, `${id.length} UTF-16 units`).toBe(201);
      expect((await t.app.inject({ method: 'GET', url, headers: shop.auth })).json().customerId).toBe(id);
    }
    const over = await t.app.inject({ method: 'GET', url: `/v1/members/${'x'.repeat(129)}`, headers: shop.auth });
    expect(expectProblem(over, 400, 'validation_failed').errors).toEqual([{ field: 'params/customerId', message: 'must NOT have more than 128 characters' }]);
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/members/${'x'.repeat(300)}`, headers: shop.auth }), 414, 'uri_too_long');
  });

  describe('from the HTTP server itself, before any request exists', () => {
    let port: number;
    beforeAll(async () => {
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      port = (t.app.server.address() as AddressInfo).port;
    });

    /** Sends raw bytes and reads the answer until the server closes the connection. */
    function exchange(bytes: string): Promise<{ status: number; headers: Record<string, string>; body: any }> {
      return new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString('utf8')));
        socket.on('error', reject);
        socket.on('close', () => {
          const [head = '', body = ''] = text.split('\r\n\r\n');
          const [statusLine = '', ...lines] = head.split('\r\n');
          const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
          resolve({ status: Number(statusLine.split(' ')[1]), headers, body: body ? JSON.parse(body) : null });
        });
      });
    }

    it.each([
      ['431 header_fields_too_large for headers over the limit', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`, 431, 'header_fields_too_large'],
      ['400 bad_request for bytes that are not HTTP', 'HELLO THERE\r\n\r\n', 400, 'bad_request'],
    ])('%s', async (_name, bytes, status, code) => {
      const response = await exchange(bytes);
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status, code, type: `urn:lojal:problem:${code}`, requestId: response.headers['x-request-id'] });
      expect(typeof response.body.detail).toBe('string');
    });
  });
});

describe('security headers', () => {
  const HELMET_DEFAULTS = {
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'SAMEORIGIN',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  };

  it.each([
    ['an answer', '/healthz', 200],
    ['a refusal', '/v1/members/anyone', 401],
    ['an unknown path', '/no-such-path', 404],
  ])("sets helmet's default headers, without a content security policy, on %s", async (_label, url, status) => {
    const response = await t.app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(status);
    expect(response.headers).toMatchObject(HELMET_DEFAULTS);
    expect(response.headers['content-security-policy']).toBeUndefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});
