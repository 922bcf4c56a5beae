import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent, DomainEventType, EventData } from '../../services/core/outbox/outbox-types.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { adjust, putMember } from '../helpers/members.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

// D17: the messages domain events ask for, sent through a real SMTP server in the test process.
const clock = fixedClock('2026-12-01T10:00:00Z');
let t: TestApp;
let sink: SmtpSink;
let shop: TestShop;
beforeAll(async () => {
  sink = await startSmtpSink();
  t = await buildTestApp({ clock, env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://loyalty.example', MAIL_FROM: 'points@lojal.example' } });
  shop = await createShop(t.app, { name: 'Sklep Ani' });
});
afterAll(async () => {
  await t.close();
  await sink.close();
});

let eventNo = 0;
const memberId = async (customerId: string) => (await t.container.members.get(shop.id, customerId)).id;
async function event(customerId: string, type: DomainEventType, data: Partial<EventData> = {}): Promise<DomainEvent> {
  eventNo += 1;
  return {
    id: `evt_${1_000_000 + eventNo}`,
    shopId: shop.id,
    type,
    occurredAt: clock.now().toISOString(),
    memberId: await memberId(customerId),
    data: { customerId, points: 25, balance: { available: 120, pending: 25, held: 0 }, ...data },
  };
}
const messages = async (customerId: string) =>
  (await t.container.database.pool.query('SELECT * FROM mail_messages WHERE shop_id = $1 AND member_id = $2 ORDER BY created_at, id', [shop.id, await memberId(customerId)])).rows;
const sendDue = (asOf: string) => t.container.mail.sendDue({ shopId: shop.id, asOf: new Date(asOf), dryRun: false });

describe('messages from domain events (D17)', () => {
  it('an event handled twice, or twice at once, sends one message', async () => {
    await putMember(t.app, shop, 'twice');
    const matured = await event('twice', 'points.matured');
    expect(await t.container.mail.handleEvent(matured)).toMatchObject({ status: 'sent' });
    expect(await t.container.mail.handleEvent(matured)).toEqual({ status: 'duplicate' });
    expect(sink.to('twice@example.com')).toHaveLength(1);

    const concurrent = await event('twice', 'points.matured', { points: 7 });
    const results = await Promise.all([t.container.mail.handleEvent(concurrent), t.container.mail.handleEvent(concurrent)]);
    expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'sent']);
    expect(sink.to('twice@example.com')).toHaveLength(2);
    expect(await messages('twice')).toHaveLength(2);
    const [first] = sink.to('twice@example.com');
    expect(first!.subject).toBe('Punkty do wykorzystania: 25 punktów');
    expect(first!.from?.value).toEqual([{ name: 'Sklep Ani', address: 'points@lojal.example' }]);
  });

  it('stores the figures only: no address, no name', async () => {
    await putMember(t.app, shop, 'figures', { firstName: 'Zofia' });
    await t.container.mail.handleEvent(await event('figures', 'points.matured'));
    const [row] = await messages('figures');
    expect(row.data).toEqual({ points: 25, balance: 120 });
    expect(JSON.stringify(row)).not.toMatch(/figures@example\.com|Zofia/);
    expect(row).toMatchObject({ template: 'pointsMatured', status: 'sent', attempts: 1 });
    expect(row.sent_at).toEqual(clock.now());
  });

  it('points earned is marketing: only with consent; points matured goes regardless; other events send nothing', async () => {
    await putMember(t.app, shop, 'no-consent', { marketingConsent: false });
    expect(await t.container.mail.handleEvent(await event('no-consent', 'points.earned'))).toEqual({ status: 'skipped', reason: 'no marketing consent' });
    expect(await t.container.mail.handleEvent(await event('no-consent', 'points.voided'))).toEqual({ status: 'ignored' });
    expect(sink.to('no-consent@example.com')).toHaveLength(0);
    expect(await t.container.mail.handleEvent(await event('no-consent', 'points.matured'))).toMatchObject({ status: 'sent' });
    expect(sink.to('no-consent@example.com').map((m) => m.subject)).toEqual(['Punkty do wykorzystania: 25 punktów']);
  });

  it('the unsubscribe link of a message (GET, or the one-click POST) stops points earned; a tampered one is refused', async () => {
    for (const [customerId, method] of [['unsub-get', 'GET'], ['unsub-post', 'POST']] as const) {
      await putMember(t.app, shop, customerId, { marketingConsent: true });
      expect(await t.container.mail.handleEvent(await event(customerId, 'points.earned'))).toMatchObject({ status: 'sent' });
      const [mail] = sink.to(`${customerId}@example.com`);
      expect(mail!.subject).toBe('Nowe punkty: 25 punktów');
      const link = /https:\/\/loyalty\.example(\/v1\/unsubscribe\?token=[\w.-]+)/.exec(mail!.text ?? '')![1]!;
      const header = (key: string) => mail!.headerLines.find((h) => h.key === key)?.line.replace(/:?\r?\n[ \t]+/g, (m) => (m.startsWith(':') ? ': ' : ' ')); // unfolded
      expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <https://loyalty.example${link}>`);
      expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

      const tampered = await t.app.inject({ method, url: `${link.slice(0, -1)}${link.endsWith('A') ? 'B' : 'A'}` });
      expect(tampered.statusCode).toBe(400);
      expect(tampered.json().code).toBe('unsubscribe_token_invalid');
      expect(await t.container.mail.handleEvent(await event(customerId, 'points.earned'))).toMatchObject({ status: 'sent' });

      const response = method === 'GET'
        ? await t.app.inject({ method, url: link })
        : await t.app.inject({ method, url: link, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
      expect(response.statusCode).toBe(200);
      expect(await t.container.mail.handleEvent(await event(customerId, 'points.earned'))).toEqual({ status: 'skipped', reason: 'no marketing consent' });
      expect(await t.container.mail.handleEvent(await event(customerId, 'points.matured'))).toMatchObject({ status: 'sent' });
      expect(sink.to(`${customerId}@example.com`).map((m) => m.subject)).toEqual([
        'Nowe punkty: 25 punktów',
        'Nowe punkty: 25 punktów',
        'Punkty do wykorzystania: 25 punktów',
      ]);
    }
  });

  it('a 450 leaves the message pending, and the mail job sends it once its time has come', async () => {
    await putMember(t.app, shop, 'busy');
    sink.busy.add('busy@example.com');
    expect(await t.container.mail.handleEvent(await event('busy', 'points.matured'))).toMatchObject({ status: 'pending' });
    const [row] = await messages('busy');
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_response_code: 450 });
    expect(row.last_error).toContain('Mailbox busy');
    expect(row.next_attempt_at).toEqual(new Date('2026-12-01T10:01:00Z'));
    sink.busy.delete('busy@example.com');
    expect(await sendDue('2026-12-01T10:00:59Z')).toEqual({ sent: 0, retried: 0, failed: 0, skipped: 0 });
    expect(await t.container.mail.sendDue({ shopId: shop.id, asOf: new Date('2026-12-01T10:01:00Z'), dryRun: true })).toMatchObject({ sent: 1 });
    expect(await sendDue('2026-12-01T10:01:00Z')).toEqual({ sent: 1, retried: 0, failed: 0, skipped: 0 });
    expect(await sendDue('2026-12-02T10:00:00Z')).toEqual({ sent: 0, retried: 0, failed: 0, skipped: 0 });
    expect(sink.to('busy@example.com')).toHaveLength(1);
    expect((await messages('busy'))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('the mail job runs for the shop through the API, in the request transaction of an Idempotency-Key', async () => {
    await putMember(t.app, shop, 'api-retry');
    sink.busy.add('api-retry@example.com');
    expect(await t.container.mail.handleEvent(await event('api-retry', 'points.matured'))).toMatchObject({ status: 'pending' });
    sink.busy.delete('api-retry@example.com');
    clock.set('2026-12-01T10:02:00Z');
    try {
      const run = await t.app.inject({ method: 'POST', url: '/v1/jobs/mail', headers: { ...shop.auth, 'idempotency-key': 'mail-run-1' }, payload: {} });
      expect(run.statusCode, run.body).toBe(200);
      expect(run.json().counts).toEqual({ sent: 1, retried: 0, failed: 0, skipped: 0 });
    } finally {
      clock.set('2026-12-01T10:00:00Z');
    }
    expect((await messages('api-retry'))[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sink.to('api-retry@example.com')).toHaveLength(1);
  });

  it('retries back off (1 min, 5 min, 30 min, 2 h, 6 h, 12 h), then the message fails', async () => {
    await putMember(t.app, shop, 'always-busy');
    sink.busy.add('always-busy@example.com');
    await t.container.mail.handleEvent(await event('always-busy', 'points.matured'));
    const waits: number[] = [];
    let previous = clock.now();
    for (let i = 0; i < 6; i++) {
      const [row] = await messages('always-busy');
      expect(row.status).toBe('pending');
      const due = row.next_attempt_at as Date;
      waits.push((due.getTime() - previous.getTime()) / 60_000);
      previous = due;
      expect(await sendDue(due.toISOString())).toEqual(i < 5 ? { sent: 0, retried: 1, failed: 0, skipped: 0 } : { sent: 0, retried: 0, failed: 1, skipped: 0 });
    }
    expect(waits).toEqual([1, 5, 30, 120, 360, 720]);
    expect((await messages('always-busy'))[0]).toMatchObject({ status: 'failed', attempts: 7, next_attempt_at: null, last_response_code: 450 });
    expect(await sendDue('2027-06-01T00:00:00Z')).toEqual({ sent: 0, retried: 0, failed: 0, skipped: 0 });
    sink.busy.delete('always-busy@example.com');
  });

  it('a 550 fails the message at once, recorded and never retried', async () => {
    await putMember(t.app, shop, 'gone');
    sink.refused.add('gone@example.com');
    expect(await t.container.mail.handleEvent(await event('gone', 'points.matured'))).toMatchObject({ status: 'failed' });
    const [row] = await messages('gone');
    expect(row).toMatchObject({ status: 'failed', attempts: 1, last_response_code: 550, next_attempt_at: null, sent_at: null });
    expect(row.last_error).toContain('No such user');
    sink.refused.delete('gone@example.com');
    expect(await sendDue('2027-06-01T00:00:00Z')).toEqual({ sent: 0, retried: 0, failed: 0, skipped: 0 });
    expect(sink.to('gone@example.com')).toHaveLength(0);
  });

  it('nothing goes to an erased member or one without an address, even a retry made before the erasure', async () => {
    await putMember(t.app, shop, 'no-mail', { email: null, emailVerified: false });
    expect(await t.container.mail.handleEvent(await event('no-mail', 'points.matured'))).toEqual({ status: 'skipped', reason: 'no e-mail address' });

    await putMember(t.app, shop, 'erased');
    const id = await memberId('erased');
    sink.busy.add('erased@example.com');
    expect(await t.container.mail.handleEvent(await event('erased', 'points.matured'))).toMatchObject({ status: 'pending' });
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/members/erased', headers: shop.auth })).statusCode).toBe(204);
    sink.busy.delete('erased@example.com');
    expect(await sendDue('2026-12-01T11:00:00Z')).toEqual({ sent: 0, retried: 0, failed: 0, skipped: 1 });
    const later = { ...(await event('no-mail', 'points.matured')), memberId: id };
    expect(await t.container.mail.handleEvent(later)).toEqual({ status: 'skipped', reason: 'member erased' });
    expect(sink.to('erased@example.com')).toHaveLength(0);
    expect(await t.container.mail.handleEvent({ ...later, id: 'evt_999999999', memberId: 'mem_unknown' })).toEqual({ status: 'skipped', reason: 'no such member' });
  });

  it('an unknown locale gets English; a redemption receipt says the discount', async () => {
    await putMember(t.app, shop, 'deutsch', { locale: 'de-DE' });
    await t.container.mail.handleEvent(await event('deutsch', 'points.matured'));
    expect(sink.to('deutsch@example.com').map((m) => m.subject)).toEqual(['25 points now available']);

    await putMember(t.app, shop, 'spender', { locale: 'en' });
    expect((await adjust(t.app, shop, 'spender', { points: 500 })).statusCode).toBe(201);
    const held = await t.app.inject({ method: 'POST', url: '/v1/redemptions', headers: shop.auth, payload: { customerId: 'spender', points: 250 } });
    expect(held.statusCode, held.body).toBe(201);
    await t.container.mail.handleEvent(await event('spender', 'redemption.committed', { points: 250, redemptionId: held.json().id }));
    const [receipt] = sink.to('spender@example.com');
    expect(receipt!.subject).toBe('You redeemed 250 points');
    expect(receipt!.text).toContain('for a discount of PLN');
  });
});
