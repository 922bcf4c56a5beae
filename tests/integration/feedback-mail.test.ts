import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../services/db/tx.ts';
import { dispatchEvent } from '../../services/core/outbox/event-dispatch.ts';
import { claimBatch, deleteRelayed, outboxId } from '../../services/core/outbox/outbox-repo.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { putMember } from '../helpers/members.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

// D14 through D16 and D17: the feedback-requests job raises feedback.requested; relayed, it becomes one e-mail with
// eleven signed score links; a link opens the page and records nothing; the page's submit records the answer.
const clock = fixedClock('2026-11-20T12:00:00Z');
let t: TestApp;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  t = await buildTestApp({ clock, env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://loyalty.example' } });
});
afterAll(async () => {
  await t.close();
  await sink.close();
});

/** What the relay and the worker do with the shop's waiting events: each handed to every handler, twice. */
async function relay(shop: TestShop): Promise<string[]> {
  const events = await withTx(t.container.database.db, async (tx) => {
    const batch = (await claimBatch(tx, 1_000)).filter((e) => e.shopId === shop.id);
    await deleteRelayed(tx, batch.map(outboxId));
    return batch;
  });
  for (const event of [...events, ...events]) await dispatchEvent(t.container, event);
  return events.map((e) => e.type);
}

describe('the feedback request e-mail', () => {
  it('goes once, in the member’s language, with eleven links; a link records nothing, the page’s submit does', async () => {
    const shop = await createShop(t.app);
    await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { feedbackRequestDays: 7 } });
    await putMember(t.app, shop, 'c1', { marketingConsent: true, locale: 'pl', email: 'ana@example.com' });
    const sent = await sendEvent(t.app, shop, envelope('order.completed', { order: order('o-1') }, '2026-11-20T10:00:00Z'), { t: Math.floor(clock.now().getTime() / 1000) });
    expect(sent.statusCode).toBe(202);
    await relay(shop);
    const job = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/shops/${shop.id}/jobs/feedback-requests`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { asOf: '2026-11-27T10:00:00Z' },
    });
    expect(job.json().counts).toEqual({ requested: 1 });
    expect(await relay(shop)).toEqual(['feedback.requested']);

    const mails = sink.to('ana@example.com').filter((m) => (m.text ?? '').includes('/v1/feedback?token='));
    expect(mails).toHaveLength(1);
    const links = [...new Set((mails[0]!.text ?? '').match(/https:\/\/loyalty\.example\/v1\/feedback\?token=[^\s&]+&score=\d+/g))];
    expect(links.map((l) => Number(l.split('score=')[1]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(mails[0]!.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    const url = new URL(links[9]!);
    const page = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    const stored = async () => (await t.container.database.pool.query('SELECT score, source FROM feedback WHERE shop_id = $1', [shop.id])).rows;
    expect(await stored()).toEqual([{ score: null, source: null }]);
    const token = url.searchParams.get('token')!;
    const answer = await t.app.inject({ method: 'POST', url: '/v1/feedback', payload: { token, score: 9, comment: 'Szybko i miło' } });
    expect(answer.statusCode, answer.body).toBe(201);
    expect(await stored()).toEqual([{ score: 9, source: 'email' }]);
  });

  it('is not sent to a member who withdrew consent before it went', async () => {
    const shop = await createShop(t.app);
    await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { feedbackRequestDays: 7 } });
    await putMember(t.app, shop, 'c2', { marketingConsent: true, email: 'ewa@example.com' });
    await sendEvent(t.app, shop, envelope('order.completed', { order: order('o-2', { customerId: 'c2' }) }, '2026-11-20T10:00:00Z'), { t: Math.floor(clock.now().getTime() / 1000) });
    await t.app.inject({ method: 'POST', url: `/v1/admin/shops/${shop.id}/jobs/feedback-requests`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { asOf: '2026-11-27T10:00:00Z' } });
    await putMember(t.app, shop, 'c2', { marketingConsent: false, email: 'ewa@example.com' });
    await relay(shop);
    expect(sink.to('ewa@example.com').filter((m) => (m.text ?? '').includes('/v1/feedback?token='))).toHaveLength(0);
  });
});
