import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedbackRequestMailData, feedbackToken } from '../../services/core/feedback/feedback-mail.ts';
import { signToken } from '../../services/core/mail/unsubscribe-token.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import { ADMIN_TOKEN, UNLIMITED_RATES, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { putMember } from '../helpers/members.ts';

// D14: the `feedback-requests` job over a timeline (the operator route's asOf) and the score links' routes.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
let second: TestApp;
beforeAll(async () => {
  // Score links are opened by the dozen from one address here: more at once than an address may (D21).
  t = await buildTestApp({ clock, env: { PUBLIC_URL: 'https://loyalty.example/', ...UNLIMITED_RATES } });
  // A second container on the same database: another worker process.
  second = await buildTestApp({ clock, databaseUrl: t.config.databaseUrl, env: { PUBLIC_URL: 'https://loyalty.example/', ...UNLIMITED_RATES } });
});
afterAll(async () => {
  await second.close();
  await t.close();
});

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const DONE = '2026-11-20T10:00:00Z';
const DUE = '2026-11-27T10:00:00Z';

const run = async (shop: TestShop, asOf: string, dryRun = false, app = t) => {
  const response = await app.app.inject({ method: 'POST', url: `/v1/admin/shops/${shop.id}/jobs/feedback-requests`, headers: admin, payload: { asOf, dryRun } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().counts as { requested: number };
};
const complete = async (shop: TestShop, id: string, customerId: string | null, occurredAt = DONE, type = 'order.completed') => {
  const data = { order: order(id, { customerId, ...(customerId === null ? { email: `${id}@example.com` } : {}) }) };
  const sent = await sendEvent(t.app, shop, envelope(type, data, occurredAt), { t: Math.floor(clock.now().getTime() / 1000) });
  expect(sent.statusCode, sent.body).toBe(202);
};
const program = async (shop: TestShop, payload: Record<string, unknown>) => {
  const response = await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload });
  expect(response.statusCode, response.body).toBe(200);
};
const events = async (shop: TestShop) =>
  (await t.container.database.pool.query(
    `SELECT member_id, data FROM outbox WHERE shop_id = $1 AND type = 'feedback.requested' ORDER BY data->>'orderId'`, [shop.id])).rows as
    { member_id: string; data: { orderId: string; orderNumber: string } }[];
const rows = async (shop: TestShop) =>
  (await t.container.database.pool.query(`SELECT * FROM feedback WHERE shop_id = $1 ORDER BY order_id`, [shop.id])).rows;
const memberId = async (shop: TestShop, customerId: string) => (await t.container.members.get(shop.id, customerId)).id;

/** A shop asking 7 days after completion, with one consenting member and its completed order `o-1`. */
async function askingShop(locale = 'pl'): Promise<TestShop> {
  const shop = await createShop(t.app);
  await program(shop, { feedbackRequestDays: 7 });
  await putMember(t.app, shop, 'c1', { marketingConsent: true, locale });
  await complete(shop, 'o-1', 'c1');
  return shop;
}

describe('feedback-requests job', () => {
  it('asks once per completed order of a consenting member, feedbackRequestDays after completion', async () => {
    const shop = await askingShop();
    await putMember(t.app, shop, 'no-consent', { marketingConsent: false });
    await putMember(t.app, shop, 'no-email', { marketingConsent: true, email: null });
    await putMember(t.app, shop, 'erased', { marketingConsent: true });
    await complete(shop, 'o-no-consent', 'no-consent');
    await complete(shop, 'o-no-email', 'no-email');
    await complete(shop, 'o-erased', 'erased');
    await complete(shop, 'o-guest', null);
    await complete(shop, 'o-paid', 'c1', DONE, 'order.paid');
    await complete(shop, 'o-old', 'c1', '2026-09-01T10:00:00Z');
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/members/erased', headers: shop.auth })).statusCode).toBe(204);

    expect(await run(shop, '2026-11-27T09:59:59Z')).toEqual({ requested: 0 });
    expect(await run(shop, DUE, true)).toEqual({ requested: 1 });
    expect(await rows(shop)).toEqual([]);
    expect(await events(shop)).toEqual([]);

    expect(await run(shop, DUE)).toEqual({ requested: 1 });
    expect(await events(shop)).toEqual([{ member_id: await memberId(shop, 'c1'), data: { orderId: 'o-1', orderNumber: 'o-1' } }]);
    expect(await rows(shop)).toEqual([expect.objectContaining({ order_id: 'o-1', score: null, answered_at: null, requested_at: clock.now() })]);
    expect(await run(shop, DUE)).toEqual({ requested: 0 });
    expect(await run(shop, '2026-12-10T00:00:00Z')).toEqual({ requested: 0 });
    expect(await events(shop)).toHaveLength(1);
  });

  it('does not ask about orders completed more than 30 days before their request was due', async () => {
    const shop = await askingShop();
    // o-1 completed 2026-11-20: due 2026-11-27, still asked up to 2026-12-27, never after.
    expect(await run(shop, '2026-12-27T10:00:01Z', true)).toEqual({ requested: 0 });
    expect(await run(shop, '2026-12-27T10:00:00Z', true)).toEqual({ requested: 1 });
  });

  it('asks nothing when the program does not set feedbackRequestDays, or sets it back to null', async () => {
    const shop = await askingShop();
    await program(shop, { feedbackRequestDays: null });
    expect(await run(shop, DUE)).toEqual({ requested: 0 });
    const off = await createShop(t.app);
    await putMember(t.app, off, 'c1', { marketingConsent: true });
    await complete(off, 'o-1', 'c1');
    expect(await run(off, DUE)).toEqual({ requested: 0 });
    expect(await rows(off)).toEqual([]);
  });

  it('two runs at once, in two processes, ask once per order', { timeout: 60_000 }, async () => {
    const shop = await askingShop();
    for (let i = 2; i <= 40; i++) await complete(shop, `o-${String(i).padStart(2, '0')}`, 'c1');
    // A transaction holds a request row for o-20 uncommitted: every run finds o-20 due and waits on it (or on the
    // run ahead of it), then it rolls back. Each order is then asked once, by whichever run wrote it first.
    const holder = await t.container.database.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`INSERT INTO feedback (shop_id, order_id, member_id, requested_at) VALUES ($1, 'o-20', $2, now())`, [shop.id, await memberId(shop, 'c1')]);
      const runs = Promise.all([run(shop, DUE), run(shop, DUE, false, second), run(shop, DUE), run(shop, DUE, false, second)]);
      await expect.poll(async () => (await t.container.database.pool.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n, { timeout: 10_000 }).toBe(4);
      await holder.query('ROLLBACK');
      const counts = await runs;
      expect(counts.reduce((sum, c) => sum + c.requested, 0)).toBe(40);
    } finally {
      holder.release();
    }
    const raised = await events(shop);
    expect(raised).toHaveLength(40);
    expect(new Set(raised.map((e) => e.data.orderId)).size).toBe(40);
    expect(await rows(shop)).toHaveLength(40);
  });

  it('the worker\'s run for every shop asks in the shops that set the days', async () => {
    const shop = await askingShop();
    const counts = await t.container.feedback.requestDue(null, new Date(DUE));
    expect(counts.requested).toBeGreaterThanOrEqual(1);
    expect(await events(shop)).toHaveLength(1);
  });
});

describe('score links (GET|POST /v1/feedback)', () => {
  const path = (url: string) => url.replace('https://loyalty.example', '');
  /** What a browser sends: its errors come as pages. */
  const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
  const links = async (shop: TestShop, customerId = 'c1', orderId = 'o-1') =>
    feedbackRequestMailData({ shopId: shop.id, memberId: await memberId(shop, customerId), orderId, orderNumber: orderId }, t.config.secretKey, t.config.publicUrl).scoreUrls;
  const form = (fields: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/v1/feedback', headers: { ...browser, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
  const json = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/v1/feedback', payload });
  const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

  it('the e-mail\'s eleven links: PUBLIC_URL/v1/feedback with a signed token and the scores 0 to 10', async () => {
    const shop = await askingShop();
    const urls = await links(shop);
    expect(urls).toHaveLength(11);
    urls.forEach((url, score) => expect(url).toMatch(new RegExp(`^https://loyalty\\.example/v1/feedback\\?token=v1(\\.[\\w-]+){5}&score=${score}$`)));
  });

  it('GET shows the link\'s score chosen in the member\'s language and records nothing; the submit records it once', async () => {
    const shop = await askingShop('pl');
    await run(shop, DUE);
    const urls = await links(shop);
    const opened = await Promise.all(urls.map((url) => t.app.inject({ method: 'GET', url: path(url) })));
    for (const page of opened) expect(page.statusCode).toBe(200);
    const page = opened[7]!;
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<html lang="pl">');
    expect(page.body).toContain('Jak prawdopodobne jest, że polecisz Test shop znajomym?');
    expect(page.body).toContain('<input type="radio" name="score" value="7" checked required>');
    expect(page.body.match(/ checked/g)).toHaveLength(1);
    expect(page.body).toContain('action="https://loyalty.example/v1/feedback"');
    expect(page.body).toContain(`name="token" value="${tokenOf(urls[7]!)}"`);
    expect((await rows(shop))[0]).toMatchObject({ score: null, answered_at: null });

    const sent = await form({ token: tokenOf(urls[7]!), score: '9', comment: '  Szybka dostawa <3  ' });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.body).toContain('Dziękujemy');
    expect((await rows(shop))[0]).toMatchObject({ score: 9, comment: 'Szybka dostawa <3', source: 'email', answered_at: clock.now() });

    const again = await form({ token: tokenOf(urls[2]!), score: '2', comment: 'changed my mind' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Opinia już zapisana');
    const json409 = await json({ token: tokenOf(urls[2]!), score: 2 });
    expect(json409.statusCode).toBe(409);
    expect(json409.json().code).toBe('feedback_exists');
    expect((await rows(shop))[0]).toMatchObject({ score: 9, comment: 'Szybka dostawa <3' });
    const later = await t.app.inject({ method: 'GET', url: path(urls[3]!), headers: browser });
    expect(later.statusCode).toBe(200);
    expect(later.body).toContain('Opinia już zapisana');
  });

  it('a JSON submit answers what was recorded; in ru the page is Russian', async () => {
    const shop = await askingShop('ru');
    const urls = await links(shop);
    const page = await t.app.inject({ method: 'GET', url: path(urls[10]!) });
    expect(page.body).toContain('<html lang="ru">');
    expect(page.body).toContain('Насколько вероятно, что вы порекомендуете Test shop друзьям?');
    const sent = await json({ token: tokenOf(urls[10]!), score: 10 });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toEqual({ score: 10, comment: null, answeredAt: clock.now().toISOString() });
    // Answered without a request (the job never ran): the row has no requested_at.
    expect((await rows(shop))[0]).toMatchObject({ score: 10, requested_at: null, source: 'email' });
  });

  it('a tampered, foreign or other-purpose token, a score outside 0..10 or a comment too long writes nothing', async () => {
    const shop = await askingShop('en');
    const other = await askingShop('en');
    const member = await memberId(shop, 'c1');
    const token = tokenOf((await links(shop))[5]!);
    const parts = token.split('.');
    const bad = [
      `${token.slice(0, -1)}${token.at(-1) === 'A' ? 'B' : 'A'}`,
      [...parts.slice(0, 4), Buffer.from('o-2').toString('base64url'), parts[5]].join('.'),
      signToken(randomBytes(32), { purpose: 'feedback', shopId: shop.id, memberId: member, orderId: 'o-1' }),
      signToken(t.config.secretKey, { purpose: 'unsubscribe', shopId: shop.id, memberId: member }),
      'v1.x.y.z.w.v',
    ];
    for (const b of bad) {
      const page = await t.app.inject({ method: 'GET', url: `/v1/feedback?token=${encodeURIComponent(b)}&score=5`, headers: browser });
      expect(page.statusCode, b).toBe(400);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('This link does not work');
      const problem = await t.app.inject({ method: 'GET', url: `/v1/feedback?token=${encodeURIComponent(b)}&score=5` });
      expect(problem.statusCode).toBe(400);
      expect(problem.json().code).toBe('feedback_token_invalid');
      const posted = await json({ token: b, score: 5 });
      expect(posted.statusCode).toBe(400);
      expect(posted.json().code).toBe('feedback_token_invalid');
      expect((await form({ token: b, score: '5' })).statusCode).toBe(400);
    }
    // A feedback token is not an unsubscribe token either.
    const unsubscribe = await t.app.inject({ method: 'GET', url: `/v1/unsubscribe?token=${token}` });
    expect(unsubscribe.json().code).toBe('unsubscribe_token_invalid');
    expect((await t.container.members.get(shop.id, 'c1')).marketingConsent).toBe(true);
    // The other shop's order o-1 under this shop's member is not theirs.
    const foreign = feedbackToken(t.config.secretKey, { shopId: other.id, memberId: member, orderId: 'o-1' });
    expect((await json({ token: foreign, score: 5 })).json()).toMatchObject({ status: 404, code: 'not_found' });
    const gone = await t.app.inject({ method: 'GET', url: `/v1/feedback?token=${foreign}`, headers: browser });
    expect(gone.statusCode).toBe(404);
    expect(gone.body).toContain('This link does not work');

    for (const [payload, field] of [
      [{ token, score: 11 }, '/score'],
      [{ token, score: -1 }, '/score'],
      [{ token, score: '7' }, '/score'],
      [{ token, score: 7, comment: 'x'.repeat(2001) }, '/comment'],
    ] as const) {
      const response = await json(payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(400);
      expect(response.json().code).toBe('validation_failed');
      expect(JSON.stringify(response.json().errors)).toContain(field);
    }
    expect((await form({ token, score: '11' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/v1/feedback?token=${token}&score=11` })).statusCode).toBe(400);
    expect(await rows(shop)).toEqual([]);
    expect(await rows(other)).toEqual([]);
  });

  it('escapes the shop\'s name and the order number in the page', async () => {
    const shop = await createShop(t.app, { name: '<script>x</script> & Co' });
    await putMember(t.app, shop, 'c1', { marketingConsent: true, locale: 'en' });
    await complete(shop, 'o-"1"', 'c1');
    const urls = await links(shop, 'c1', 'o-"1"');
    const page = await t.app.inject({ method: 'GET', url: path(urls[0]!) });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('&lt;script&gt;x&lt;/script&gt; &amp; Co');
    expect(page.body).toContain('Order o-&quot;1&quot;');
  });
});

describe('recordFeedback (for the feedback route, D14)', () => {
  it('records an API answer once, for the member\'s own order; erasure removes the comment and keeps the score', async () => {
    const shop = await askingShop('en');
    const member = await memberId(shop, 'c1');
    await expect(t.container.feedback.recordFeedback(shop.id, member, 'o-missing', 8, null, 'api')).rejects.toMatchObject({ code: 'not_found' });
    expect(await t.container.feedback.recordFeedback(shop.id, member, 'o-1', 8, 'Good', 'api')).toEqual({ score: 8, comment: 'Good', answeredAt: clock.now() });
    await expect(t.container.feedback.recordFeedback(shop.id, member, 'o-1', 3, null, 'api')).rejects.toMatchObject({ code: 'feedback_exists' });
    expect(await rows(shop)).toEqual([expect.objectContaining({ score: 8, comment: 'Good', source: 'api' })]);
    // The job does not ask about an order answered already.
    expect(await run(shop, DUE)).toEqual({ requested: 0 });
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/members/c1', headers: shop.auth })).statusCode).toBe(204);
    expect(await rows(shop)).toEqual([expect.objectContaining({ score: 8, comment: null })]);
  });
});
