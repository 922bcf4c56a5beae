import { describe, expect, it } from 'vitest';
import { addMonths, inactiveSince, inactivityExpiresAt } from '../../services/core/earning/expiry-rules.ts';
import { reminderWindows } from '../../services/core/ledger/reminder-service.ts';
import { MAIL_PLANS, mailData, templateOf } from '../../services/core/mail/mail-plans.ts';
import { MARKETING_TEMPLATES } from '../../services/core/mail/mail-types.ts';
import { outcomeOf, RETRY_DELAYS_MS, skipReason } from '../../services/core/mail/mail-rules.ts';
import { defaultProgram } from '../../services/core/program/program-types.ts';
import type { DomainEvent, EventData } from '../../services/core/outbox/outbox-types.ts';

const at = new Date('2027-01-01T00:00:00Z');

describe('mail delivery rules (D17)', () => {
  it('sent and logged are done; 5xx fails at once; 4xx waits 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, then fails', () => {
    expect(outcomeOf({ status: 'sent', messageId: 'x' }, 0, at)).toMatchObject({ status: 'sent', attempts: 1, sentAt: at, nextAttemptAt: null });
    expect(outcomeOf({ status: 'logged' }, 2, at)).toMatchObject({ status: 'logged', attempts: 3, sentAt: at });
    expect(outcomeOf({ status: 'permanent', error: '550 no', responseCode: 550 }, 0, at)).toEqual({
      status: 'failed', attempts: 1, nextAttemptAt: null, lastError: '550 no', lastResponseCode: 550, sentAt: null,
    });
    const waits = [0, 1, 2, 3, 4, 5].map((attempts) => {
      const o = outcomeOf({ status: 'retryable', error: 'busy', responseCode: 450 }, attempts, at);
      expect(o.status).toBe('pending');
      return (o.nextAttemptAt!.getTime() - at.getTime()) / 60_000;
    });
    expect(waits).toEqual([1, 5, 30, 120, 360, 720]);
    expect(RETRY_DELAYS_MS).toHaveLength(6);
    expect(outcomeOf({ status: 'retryable', error: 'ECONNREFUSED', responseCode: null }, 6, at)).toMatchObject({ status: 'failed', attempts: 7, nextAttemptAt: null });
  });

  it('who gets nothing: no member, erased, no address; marketing only with consent', () => {
    const member = { email: 'a@example.com', erasedAt: null, marketingConsent: false };
    expect(skipReason(null, 'pointsMatured')).toBe('no such member');
    expect(skipReason({ ...member, erasedAt: at }, 'pointsMatured')).toBe('member erased');
    expect(skipReason({ ...member, email: null }, 'pointsExpiring')).toBe('no e-mail address');
    expect(skipReason(member, 'pointsEarned')).toBe('no marketing consent');
    expect(skipReason({ ...member, marketingConsent: true }, 'pointsEarned')).toBeNull();
    for (const template of ['pointsMatured', 'pointsExpiring', 'redemptionReceipt'] as const) expect(skipReason(member, template)).toBeNull();
  });

  it('maps events to templates; events without points or of other types send nothing', () => {
    const event = (type: DomainEvent['type'], data: Record<string, unknown>): DomainEvent =>
      ({ id: 'evt_1', shopId: 's', type, occurredAt: at.toISOString(), memberId: 'm', data: { customerId: 'c', ...data } });
    const none = { redemption: null };
    expect(MAIL_PLANS['points.earned']!.figures(event('points.earned', { points: 5, balance: { available: 9, pending: 5, held: 0 } }), none)).toEqual({ points: 5, balance: 9 });
    expect(MAIL_PLANS['points.matured']!.figures(event('points.matured', {}), none)).toBeNull();
    expect(MAIL_PLANS['points.expiring']!.figures(event('points.expiring', { points: 5, expiresAt: at.toISOString(), days: 7 }), none))
      .toEqual({ points: 5, balance: 0, expiresAt: at.toISOString(), days: 7 });
    expect(MAIL_PLANS['redemption.committed']!.figures(event('redemption.committed', { points: 5 }), { redemption: { amount: 250, currency: 'PLN' } }))
      .toEqual({ points: 5, balance: 0, discount: 250, currency: 'PLN' });
    expect(MAIL_PLANS['points.voided']).toBeUndefined();
  });

  describe('tier.changed (D9)', () => {
    const plan = MAIL_PLANS['tier.changed']!;
    const none = { redemption: null };
    const gold = { id: 'gold', name: 'Gold', multiplier: '1.5', benefits: ['Free delivery'] };
    const data = {
      from: { id: 'silver', name: 'Silver' },
      to: gold,
      direction: 'up',
      reason: 'qualified',
      basis: 'points',
      currency: 'PLN',
      next: { id: 'platinum', name: 'Platinum', remaining: 250 },
      balance: { available: 340, pending: 20, held: 0 },
    };
    // EventData types an entry event's from/to as buckets; tier.changed's are tiers (its data is read as unknown).
    const tierEvent = (over: Record<string, unknown> = {}): DomainEvent =>
      ({ id: 'evt_2', shopId: 's', type: 'tier.changed', occurredAt: at.toISOString(), memberId: 'm', data: { customerId: 'c-42', ...data, ...over } as unknown as EventData });

    it('direction chooses tierUp or tierDown; the figures are the tier, the next and the balance, nothing personal', () => {
      const figures = plan.figures(tierEvent(), none);
      expect(templateOf(plan, tierEvent())).toBe('tierUp');
      expect(templateOf(plan, tierEvent({ direction: 'down' }))).toBe('tierDown');
      expect(figures).toEqual({
        points: 0,
        balance: 340,
        tier: { name: 'Gold', multiplier: '1.5', benefits: ['Free delivery'], basis: 'points', currency: 'PLN', next: { name: 'Platinum', remaining: 250 } },
      });
      expect(JSON.stringify(figures)).not.toContain('c-42');
      expect(mailData('tierUp', figures!, { shopId: 's', memberId: 'm', secretKey: Buffer.alloc(32), publicUrl: 'https://x' }))
        .toEqual({ balance: 340, tier: figures!.tier });
      // The first tier (no from), the top tier (no next), by spend: each a message.
      expect(plan.figures(tierEvent({ from: null, next: null }), none)?.tier?.next).toBeNull();
      expect(plan.figures(tierEvent({ basis: 'spend', currency: 'EUR' }), none)?.tier).toMatchObject({ basis: 'spend', currency: 'EUR' });
    });

    it('no message when nothing changed (from is to) or the data is not as the tier service raises it', () => {
      expect(plan.figures(tierEvent({ from: { id: 'gold', name: 'Gold' } }), none)).toBeNull();
      const malformed: Record<string, unknown>[] = [
        { to: null },
        { to: { ...gold, name: '' } },
        { to: { ...gold, multiplier: 1.5 } },
        { to: { ...gold, multiplier: '-1' } },
        { to: { ...gold, multiplier: '0' } },
        { to: { ...gold, benefits: 'Free delivery' } },
        { to: { ...gold, benefits: [1] } },
        { from: 'silver' },
        { direction: 'sideways' },
        { basis: 'visits' },
        { basis: 'spend', currency: 'zł' },
        { basis: 'spend', currency: undefined },
        { next: { name: 'Platinum', remaining: 2.5 } },
        { next: { name: 'Platinum', remaining: -1 } },
        { next: { name: '', remaining: 1 } },
        { next: 'platinum' },
      ];
      for (const over of malformed) expect(plan.figures(tierEvent(over), none), JSON.stringify(over)).toBeNull();
    });

    it('tier messages are account status, not marketing: they go without consent', () => {
      const member = { email: 'a@example.com', erasedAt: null, marketingConsent: false };
      for (const template of ['tierUp', 'tierDown'] as const) {
        expect(MARKETING_TEMPLATES.has(template)).toBe(false);
        expect(skipReason(member, template)).toBeNull();
      }
    });
  });
});

describe('expiry reminders (D8)', () => {
  it('windows: whole positive days, once each, smallest first; none under policy none', () => {
    const program = defaultProgram('PLN');
    expect(reminderWindows(program)).toEqual([]);
    expect(reminderWindows({ ...program, expiry: { policy: 'afterMonths', months: 6 }, remindDaysBefore: [30, 7, 7, 0, -1, 1.5] })).toEqual([7, 30]);
  });

  it('inactivity expires at the first instant the sweep\'s rule makes the member due', () => {
    const expiry = { policy: 'inactivity' as const, months: 1 };
    expect(inactivityExpiresAt(expiry, new Date('2027-03-15T10:00:00Z'))).toEqual(new Date('2027-04-15T10:00:00Z'));
    // January 31 plus a month: February has no 31st, so the member is due from March 1.
    expect(inactivityExpiresAt(expiry, new Date('2027-01-31T10:00:00Z'))).toEqual(new Date('2027-03-01T00:00:00Z'));
    expect(inactivityExpiresAt({ policy: 'afterMonths', months: 1 }, at)).toBeNull();
    for (let i = 0; i < 2_000; i++) {
      const months = 1 + (i % 24);
      const since = new Date(Date.UTC(2026, 0, 1) + Math.floor(Math.random() * 4 * 365 * 86_400_000));
      const rule = { policy: 'inactivity' as const, months };
      const x = inactivityExpiresAt(rule, since)!;
      expect(inactiveSince(rule, x)! >= since, `${since.toISOString()} + ${months}`).toBe(true);
      expect(inactiveSince(rule, new Date(x.getTime() - 1))! < since, `${since.toISOString()} + ${months}`).toBe(true);
      expect(x >= addMonths(since, months)).toBe(true);
    }
  });
});
