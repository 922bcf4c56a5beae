import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../services/db/tx.ts';
import { dispatchEvent } from '../../services/core/outbox/event-dispatch.ts';
import { claimBatch, deleteRelayed, outboxId, raiseEvents } from '../../services/core/outbox/outbox-repo.ts';
import type { EventData } from '../../services/core/outbox/outbox-types.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { adjust, putMember } from '../helpers/members.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

// D9 through D16 and D17: a tier.changed event, raised through the outbox in a transaction as the tier service
// raises it, relayed and handled (twice, as a retried relay would), becomes one e-mail in the member's language,
// whether or not the member consented to marketing: a tier change is account status.
const clock = fixedClock('2026-12-01T10:00:00Z');
let t: TestApp;
let sink: SmtpSink;
let shop: TestShop;
beforeAll(async () => {
  sink = await startSmtpSink();
  t = await buildTestApp({ clock, env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://loyalty.example' } });
  shop = await createShop(t.app, { name: 'Sklep Ani' });
  await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { mail: { senderName: '', replyTo: '', accountUrl: 'https://sklep.example/konto' } } });
});
afterAll(async () => {
  await t.close();
  await sink.close();
});

const SILVER = { id: 'silver', name: 'Srebrny' };
const GOLD = { id: 'gold', name: 'Złoty', multiplier: '1.5', benefits: ['Darmowa dostawa', 'Prezent urodzinowy'] };

/** Raises tier.changed for the member in a transaction of its own, as the tier service does with its change. */
async function raiseTierChanged(customerId: string, data: Record<string, unknown>): Promise<void> {
  const member = await t.container.members.get(shop.id, customerId);
  await withTx(t.container.database.db, (tx) => raiseEvents(tx, [{
    shopId: shop.id,
    type: 'tier.changed',
    memberId: member.id,
    // EventData types an entry event's from/to as buckets; tier.changed carries tiers there.
    data: { customerId, reason: 'qualified', basis: 'points', currency: 'PLN', ...data } as unknown as Partial<EventData>,
    at: clock.now(),
  }]));
}

/** What the relay and the worker do with the shop's waiting events: each handed to every handler, twice. */
async function relay(): Promise<string[]> {
  const events = await withTx(t.container.database.db, async (tx) => {
    const batch = (await claimBatch(tx, 1_000)).filter((e) => e.shopId === shop.id);
    await deleteRelayed(tx, batch.map(outboxId));
    return batch;
  });
  for (const event of [...events, ...events]) await dispatchEvent(t.container, event);
  return events.map((e) => e.type);
}

const messages = async (customerId: string) => (await t.container.database.pool.query(
  'SELECT template, status, data FROM mail_messages WHERE shop_id = $1 AND member_id = $2 ORDER BY created_at, id',
  [shop.id, (await t.container.members.get(shop.id, customerId)).id],
)).rows;

describe('tier e-mails (D9, D17)', () => {
  it('tier up: one message in Polish to a member without marketing consent, with the tier, multiplier, benefits and the way on', async () => {
    await putMember(t.app, shop, 'zofia', { locale: 'pl', marketingConsent: false, firstName: 'Zofia' });
    expect((await adjust(t.app, shop, 'zofia', { points: 340 })).statusCode).toBe(201);
    await raiseTierChanged('zofia', { from: SILVER, to: GOLD, direction: 'up', next: { id: 'platinum', name: 'Platynowy', remaining: 22 } });
    expect(await relay()).toContain('tier.changed');

    const mails = sink.to('zofia@example.com');
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.subject).toBe('Gratulacje! Twój nowy poziom: Złoty');
    expect(mail!.text).toContain('Dzień dobry Zofia,');
    expect(mail!.text).toContain('Gratulacje! Osiągasz nowy poziom w Sklep Ani: Złoty.');
    expect(mail!.text).toContain('Od teraz zbierasz punkty z mnożnikiem 1,5×.');
    expect(mail!.text).toContain('Twoje korzyści na poziomie Złoty:\n\n- Darmowa dostawa\n- Prezent urodzinowy');
    expect(mail!.text).toContain('Zbierz jeszcze 22 punkty, aby osiągnąć poziom Platynowy.');
    expect(mail!.text).toContain('Twoje saldo: 340 punktów.');
    expect(mail!.text).toContain('Zobacz swoje punkty: https://sklep.example/konto');
    expect(mail!.html).toContain('<ul><li>Darmowa dostawa</li><li>Prezent urodzinowy</li></ul>');
    expect(mail!.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toContain('https://loyalty.example/v1/unsubscribe?token=');

    const [row] = await messages('zofia');
    expect(row).toMatchObject({ template: 'tierUp', status: 'sent' });
    expect(row.data.tier).toEqual({ name: 'Złoty', multiplier: '1.5', benefits: ['Darmowa dostawa', 'Prezent urodzinowy'], basis: 'points', currency: 'PLN', next: { name: 'Platynowy', remaining: 22 } });
    expect(JSON.stringify(row.data)).not.toMatch(/zofia|Zofia|example\.com/);
  });

  it('tier down by spend: kind words, the money to return; nothing for a change that is none', async () => {
    await putMember(t.app, shop, 'jan', { locale: 'pl', marketingConsent: false });
    await raiseTierChanged('jan', {
      from: { id: 'gold', name: 'Złoty' },
      to: { ...SILVER, multiplier: '1', benefits: [] },
      direction: 'down',
      reason: 'window_closed',
      basis: 'spend',
      next: { id: 'gold', name: 'Złoty', remaining: 12_550 },
    });
    await raiseTierChanged('jan', { from: { id: 'gold', name: 'Złoty' }, to: GOLD, direction: 'up', next: null });
    await relay();

    expect(sink.to('jan@example.com').map((m) => m.subject)).toEqual(['Zmiana Twojego poziomu: Srebrny']);
    const text = sink.to('jan@example.com')[0]!.text ?? '';
    expect(text).toContain('Dziękujemy, że jesteś z nami w Sklep Ani.');
    expect(text).toContain('Od teraz Twój poziom to Srebrny. Zebrane punkty pozostają na Twoim koncie.');
    expect(text).toContain('Wydaj jeszcze 125,50\u00a0zł, aby wrócić na poziom Złoty.');
    expect(text).not.toContain('mnożnikiem');
    expect((await messages('jan')).map((m) => m.template)).toEqual(['tierDown']);
  });
});
