import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../services/core/events/signature.ts';
import { publicEvent, type DomainEvent } from '../../services/core/outbox/outbox-types.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import { createWebhookService } from '../../services/core/webhooks/webhook-service.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { startReceiver, type Answer } from '../helpers/receiver.ts';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { isPrivateAddress } from '../../services/core/webhooks/webhook-address.ts';

// D16: the shop's own copies of Lojal's events, POSTed to its endpoint, signed, recorded once per event, retried.
const clock = fixedClock('2026-11-20T12:00:00Z');
const T0 = clock.now().getTime();
let t: TestApp;
const receivers: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  // The receivers listen on 127.0.0.1: this app allows private addresses, as an operator can (WEBHOOK_ALLOW_PRIVATE).
  t = await buildTestApp({ clock, env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await t.close();
});

const at = (ms: number) => new Date(T0 + ms);
const event = (shopId: string, id = 'evt_123'): DomainEvent => ({
  id,
  shopId,
  type: 'points.earned',
  occurredAt: '2026-11-20T11:59:00.000Z',
  memberId: 'mem_internal',
  data: { customerId: 'c1', points: 120, balance: { available: 0, pending: 120, held: 0 } },
});
const getEndpoint = (shop: TestShop) => t.app.inject({ method: 'GET', url: '/v1/webhooks', headers: shop.auth });
const putEndpoint = (shop: TestShop, payload: unknown) => t.app.inject({ method: 'PUT', url: '/v1/webhooks', headers: shop.auth, payload: payload as object });
const list = async (shop: TestShop, query = '') => {
  const response = await t.app.inject({ method: 'GET', url: `/v1/webhooks/deliveries${query}`, headers: shop.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { data: Record<string, unknown>[]; nextCursor: string | null };
};
const runJob = async (shop: TestShop, asOf: Date | string) => {
  const response = await t.app.inject({
    method: 'POST',
    url: `/v1/admin/shops/${shop.id}/jobs/webhooks`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: { asOf: new Date(asOf).toISOString() },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().counts as Record<string, number>;
};
async function receiver(answer?: (n: number) => Answer) {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}
/** A shop with an enabled endpoint at a receiver answering as told. */
async function shopWithReceiver(answer?: (n: number) => Answer) {
  const shop = await createShop(t.app);
  const r = await receiver(answer);
  expect((await putEndpoint(shop, { url: r.url, enabled: true })).statusCode).toBe(200);
  return { shop, r };
}

describe('the endpoint', () => {
  it('is unset by default, set by PUT, and one shop never sees another’s', async () => {
    const [a, b] = [await createShop(t.app), await createShop(t.app)];
    expect((await getEndpoint(a)).json()).toEqual({ url: null, enabled: false });
    const put = await putEndpoint(a, { url: 'https://shop.example/hooks?x=1', enabled: true });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({ url: 'https://shop.example/hooks?x=1', enabled: true });
    expect((await getEndpoint(a)).json()).toEqual({ url: 'https://shop.example/hooks?x=1', enabled: true });
    expect((await getEndpoint(b)).json()).toEqual({ url: null, enabled: false });
    expect((await putEndpoint(a, { url: null, enabled: false })).json()).toEqual({ url: null, enabled: false });
  });

  it('honours Idempotency-Key on PUT', async () => {
    const shop = await createShop(t.app);
    const put = (url: string) =>
      t.app.inject({ method: 'PUT', url: '/v1/webhooks', headers: { ...shop.auth, 'idempotency-key': 'wh-1' }, payload: { url, enabled: true } });
    expect((await put('https://shop.example/a')).statusCode).toBe(200);
    const again = await put('https://shop.example/a');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await put('https://shop.example/b')).json()).toMatchObject({ code: 'idempotency_key_reused' });
    expect((await getEndpoint(shop)).json()).toEqual({ url: 'https://shop.example/a', enabled: true });
  });

  it('refuses a bad url with 400 validation_failed naming the field, and stores nothing', async () => {
    const shop = await createShop(t.app);
    for (const [payload, field] of [
      [{ url: 'ftp://shop.example/hooks', enabled: true }, '/url'],
      [{ url: '/hooks', enabled: false }, '/url'],
      [{ url: 'shop.example/hooks', enabled: true }, '/url'],
      [{ url: 'https://user:secret@shop.example/hooks', enabled: true }, '/url'],
      [{ url: `https://shop.example/${'a'.repeat(2048)}`, enabled: true }, '/url'],
      [{ url: null, enabled: true }, '/url'],
      [{ url: 'https://shop.example/hooks' }, '/enabled'],
    ] as const) {
      const response = await putEndpoint(shop, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json()).toMatchObject({ code: 'validation_failed' });
      expect(response.json().errors.map((e: { field: string }) => e.field), JSON.stringify(payload)).toContain(field);
    }
    expect((await getEndpoint(shop)).json()).toEqual({ url: null, enabled: false });
    const { rows } = await t.container.database.pool.query('SELECT 1 FROM webhook_endpoints WHERE shop_id = $1', [shop.id]);
    expect(rows).toEqual([]);
  });
});

describe('deliveries', () => {
  it('sends each due delivery once when two runs go at the same time', async () => {
    const { shop, r } = await shopWithReceiver((n) => (n < 1 ? 500 : 200));
    const ids = Array.from({ length: 12 }, (_, i) => `evt_${1000 + i}`);
    for (const id of ids) await t.container.webhooks.handleEvent(event(shop.id, id));
    // The first failed: the endpoint is failing, so the next eleven wait for the job instead of being tried at once.
    expect(r.received).toHaveLength(1);
    const runs = await Promise.all([runJob(shop, at(30_000)), runJob(shop, at(30_000))]);
    expect(runs.reduce((sum, c) => sum + c.delivered!, 0)).toBe(12);
    const retries = r.received.slice(1).map((x) => x.headers['lojal-event-id']);
    expect(retries.sort()).toEqual(ids);
    expect((await list(shop, '?status=delivered')).data).toHaveLength(12);
  });

  it('records an event once and POSTs it once, however often and concurrently it is handed over', async () => {
    const { shop, r } = await shopWithReceiver();
    const e = event(shop.id);
    expect(await t.container.webhooks.handleEvent(e)).toEqual({ recorded: true });
    expect(await t.container.webhooks.handleEvent(e)).toEqual({ recorded: false });
    const twin = event(shop.id, 'evt_124');
    const both = await Promise.all([t.container.webhooks.handleEvent(twin), t.container.webhooks.handleEvent(twin)]);
    expect(both.filter((x) => x.recorded)).toHaveLength(1);
    expect(r.received.map((x) => x.headers['lojal-event-id']).sort()).toEqual(['evt_123', 'evt_124']);
    const page = await list(shop);
    // Both were made in the same millisecond of the test's clock: their order within it is the ids' random part.
    expect(page.data.map((d) => [d.eventId, d.status, d.attempts]).sort()).toEqual([['evt_123', 'delivered', 1], ['evt_124', 'delivered', 1]]);
    expect(await runJob(shop, at(86_400_000))).toEqual({ due: 0, delivered: 0, retried: 0, failed: 0 });
    expect(r.received).toHaveLength(2);
  });

  it('retries a receiver that fails twice at the due times, then delivers the signed publicEvent body', async () => {
    const { shop, r } = await shopWithReceiver((n) => (n < 2 ? 500 : 200));
    const e = event(shop.id);
    await t.container.webhooks.handleEvent(e); // attempt 1, at T0: 500
    expect((await list(shop)).data[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, nextAttemptAt: at(30_000).toISOString() });
    expect(await runJob(shop, at(29_999))).toMatchObject({ due: 0 });
    expect(await runJob(shop, at(30_000))).toMatchObject({ due: 1, retried: 1 }); // attempt 2: 500, next 60 s later
    expect(await runJob(shop, at(89_999))).toMatchObject({ due: 0 });
    expect(await runJob(shop, at(90_000))).toMatchObject({ due: 1, delivered: 1 });
    expect(r.received).toHaveLength(3);
    const expectedBody = JSON.stringify(publicEvent(e));
    for (const [i, req] of r.received.entries()) {
      expect(req.body).toBe(expectedBody);
      expect(req.headers).toMatchObject({
        'content-type': 'application/json',
        'lojal-event-id': 'evt_123',
        'lojal-event-type': 'points.earned',
        'user-agent': 'Lojal-Webhooks/1',
      });
      // Signed at the wall clock's time (the receiver's check), whatever time the run is as of.
      expect(i).toBeLessThan(3);
      expect(() => verifySignature(req.headers['lojal-signature'] as string, Buffer.from(req.body), [shop.webhookSecret], new Date())).not.toThrow();
      expect(() => verifySignature(req.headers['lojal-signature'] as string, Buffer.from(req.body), ['lj_whsec_other'], new Date())).toThrow();
    }
    expect(JSON.parse(expectedBody)).toEqual({ id: 'evt_123', type: 'points.earned', occurredAt: e.occurredAt, data: e.data });
    expect((await list(shop)).data[0]).toMatchObject({
      status: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null,
      lastAttemptAt: at(90_000).toISOString(), deliveredAt: at(90_000).toISOString(),
    });
  });

  it('gives up on a receiver that always fails only after at least 24 h of retries', async () => {
    const { shop, r } = await shopWithReceiver(() => 503);
    await t.container.webhooks.handleEvent(event(shop.id));
    let current = (await list(shop)).data[0]!;
    let lastAttempt = T0;
    while (current.status === 'pending') {
      const due = new Date(current.nextAttemptAt as string).getTime();
      expect(await runJob(shop, new Date(due - 1))).toMatchObject({ due: 0 });
      await runJob(shop, new Date(due));
      lastAttempt = due;
      current = (await list(shop)).data[0]!;
    }
    expect(lastAttempt - T0).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(current).toMatchObject({ status: 'failed', attempts: r.received.length, lastStatusCode: 503, nextAttemptAt: null, deliveredAt: null });
    expect(current.lastError).toMatch(/503/);
    expect((await list(shop, '?status=failed')).data.map((d) => d.id)).toEqual([current.id]);
    expect((await list(shop, '?status=pending')).data).toEqual([]);
    expect(await runJob(shop, at(30 * 86_400_000))).toMatchObject({ due: 0 });
  });

  it('times out a hanging receiver without holding back another shop’s delivery in the same run', async () => {
    const service = createWebhookService({ database: t.container.database, clock, webhookSecrets: t.container.shops.webhookSecrets, timeoutMs: 700, allowPrivate: true });
    const dead = await receiver();
    await dead.close(); // a refused connection: the first attempts fail at once
    const [a, b] = [await createShop(t.app), await createShop(t.app)];
    for (const shop of [a, b]) {
      await putEndpoint(shop, { url: dead.url, enabled: true });
      await service.handleEvent(event(shop.id));
      expect((await list(shop)).data[0]).toMatchObject({ status: 'pending', lastStatusCode: null, lastError: expect.stringMatching(/ECONNREFUSED/) });
    }
    const hanging = await receiver(() => 'hang');
    const ok = await receiver();
    await putEndpoint(a, { url: hanging.url, enabled: true });
    await putEndpoint(b, { url: ok.url, enabled: true });
    const started = Date.now();
    const counts = await service.deliverDue({ shopId: null, asOf: at(30_000), dryRun: false });
    expect(counts).toMatchObject({ delivered: 1, retried: 1 });
    expect(ok.received[0]!.at - started).toBeLessThan(600);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await list(a)).data[0]).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: null, lastError: 'no answer within 700 ms' });
    expect((await list(b)).data[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('does not follow a redirect: a 302 is a failure', async () => {
    const target = await receiver();
    const { shop, r } = await shopWithReceiver(() => ({ status: 302, headers: { location: target.url } }));
    await t.container.webhooks.handleEvent(event(shop.id));
    expect(r.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
    expect((await list(shop)).data[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 302 });
  });

  it('records nothing without an endpoint or with a disabled one', async () => {
    const none = await createShop(t.app);
    const r = await receiver();
    const disabled = await createShop(t.app);
    await putEndpoint(disabled, { url: r.url, enabled: false });
    for (const shop of [none, disabled]) {
      expect(await t.container.webhooks.handleEvent(event(shop.id))).toEqual({ recorded: false });
      expect((await list(shop)).data).toEqual([]);
    }
    expect(r.received).toHaveLength(0);
  });

  it('counts a retry while the endpoint is disabled as a failed attempt, and delivers once it is enabled again', async () => {
    const { shop, r } = await shopWithReceiver((n) => (n === 0 ? 500 : 200));
    await t.container.webhooks.handleEvent(event(shop.id));
    await putEndpoint(shop, { url: r.url, enabled: false });
    expect(await runJob(shop, at(30_000))).toMatchObject({ retried: 1 });
    expect((await list(shop)).data[0]).toMatchObject({ status: 'pending', attempts: 2, lastError: 'the endpoint is disabled or removed' });
    expect(r.received).toHaveLength(1);
    await putEndpoint(shop, { url: r.url, enabled: true });
    expect(await runJob(shop, at(90_000))).toMatchObject({ delivered: 1 });
    expect(r.received).toHaveLength(2);
  });

  it('lists a shop’s own deliveries only, newest first, page by page', async () => {
    const { shop: a } = await shopWithReceiver();
    const { shop: b, r: rb } = await shopWithReceiver(() => 500);
    for (const id of ['evt_1', 'evt_2', 'evt_3']) {
      await t.container.webhooks.handleEvent(event(a.id, id));
      clock.advance(1);
    }
    await t.container.webhooks.handleEvent(event(b.id, 'evt_9'));
    const first = await list(a, '?limit=2');
    expect(first.data.map((d) => d.eventId)).toEqual(['evt_3', 'evt_2']);
    const second = await list(a, `?limit=2&cursor=${first.nextCursor}`);
    expect(second).toEqual({ data: [expect.objectContaining({ eventId: 'evt_1' })], nextCursor: null });
    expect((await list(b)).data.map((d) => d.eventId)).toEqual(['evt_9']);
    // A run for shop A never attempts shop B's delivery.
    expect(await runJob(a, at(3_600_000))).toMatchObject({ due: 0 });
    expect(rb.received).toHaveLength(1);
    const bad = await t.app.inject({ method: 'GET', url: '/v1/webhooks/deliveries?cursor=whd_nope', headers: a.auth });
    expect(bad.statusCode).toBe(400);
    clock.set(at(0));
  });
});

describe('erasure (D19)', () => {
  it('takes the erased member’s customer id out of every stored delivery, and only theirs', async () => {
    const { shop } = await shopWithReceiver();
    const { putMember } = await import('../helpers/members.ts');
    await putMember(t.app, shop, 'c-erase');
    await putMember(t.app, shop, 'c-keep');
    const ids = await t.container.database.pool.query('SELECT customer_id, id FROM members WHERE shop_id = $1', [shop.id]);
    const memberOf = (customerId: string) => ids.rows.find((r) => r.customer_id === customerId).id as string;
    const about = (customerId: string, id: string): DomainEvent => ({ ...event(shop.id, id), memberId: memberOf(customerId), data: { customerId, points: 5 } });
    await t.container.webhooks.handleEvent(about('c-erase', 'evt_e1'));
    await t.container.webhooks.handleEvent(about('c-erase', 'evt_e2'));
    await t.container.webhooks.handleEvent(about('c-keep', 'evt_k1'));
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/members/c-erase', headers: shop.auth })).statusCode).toBe(204);
    const bodies = await t.container.database.pool.query('SELECT event_id, body FROM webhook_deliveries WHERE shop_id = $1 ORDER BY event_id', [shop.id]);
    const byEvent = Object.fromEntries(bodies.rows.map((r) => [r.event_id, JSON.parse(r.body)]));
    expect(byEvent.evt_e1.data.customerId).toBeNull();
    expect(byEvent.evt_e2.data.customerId).toBeNull();
    expect(byEvent.evt_k1.data.customerId).toBe('c-keep');
    expect(bodies.rows.some((r) => r.body.includes('c-erase'))).toBe(false);
  });
});

describe('addresses of the operator\'s own network (the default: WEBHOOK_ALLOW_PRIVATE=false)', () => {
  it('refuses such an endpoint on PUT with a field error, and writes nothing', async () => {
    const strict = await buildTestApp({ clock, databaseUrl: t.config.databaseUrl });
    try {
      const shop = await createShop(strict.app);
      for (const url of ['http://127.0.0.1:8080/hooks', 'http://169.254.169.254/latest/meta-data', 'http://localhost/hooks', 'http://[::1]/hooks']) {
        const put = await strict.app.inject({ method: 'PUT', url: '/v1/webhooks', headers: shop.auth, payload: { url, enabled: true } });
        expect(put.statusCode, url).toBe(400);
        expect(put.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: '/url' }] });
      }
      expect((await strict.app.inject({ method: 'GET', url: '/v1/webhooks', headers: shop.auth })).json()).toEqual({ url: null, enabled: false });
      const ok = await strict.app.inject({ method: 'PUT', url: '/v1/webhooks', headers: shop.auth, payload: { url: 'https://shop.example/hooks', enabled: true } });
      expect(ok.statusCode, ok.body).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('never connects to one at delivery, whether the URL names the address or a host name that resolves to it', async () => {
    const own = (await lookup(hostname(), { all: true })).map((a) => a.address);
    expect(own.every(isPrivateAddress), `${hostname()} resolves to ${own.join(', ')}`).toBe(true);
    const strict = createWebhookService({ database: t.container.database, clock, webhookSecrets: t.container.shops.webhookSecrets, allowPrivate: false });
    const r = await receiver();
    // Saved while the operator allowed private addresses; the setting has changed since.
    const byAddress = await createShop(t.app);
    expect((await putEndpoint(byAddress, { url: r.url, enabled: true })).statusCode).toBe(200);
    const byName = await createShop(t.app);
    expect((await putEndpoint(byName, { url: r.url.replace('127.0.0.1', hostname()), enabled: true })).statusCode).toBe(200);
    for (const shop of [byAddress, byName]) {
      await strict.handleEvent(event(shop.id));
      expect((await list(shop)).data[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null, lastError: expect.stringMatching(/EPRIVATEADDRESS/) });
    }
    expect(r.received).toHaveLength(0);
    // The same deliveries go out where private addresses are allowed: the name resolves, only the check refused it.
    expect(await runJob(byName, at(86_400_000))).toMatchObject({ delivered: 1 });
    expect(r.received).toHaveLength(1);
  });
});
