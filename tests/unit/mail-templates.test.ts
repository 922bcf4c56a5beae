import { describe, expect, it } from 'vitest';
import { mailLocale } from '../../services/core/mail/mail-locale.ts';
import { renderMail } from '../../services/core/mail/mail-render.ts';
import { MAIL_TEMPLATES, type MailData, type MailInput, type MailTemplate } from '../../services/core/mail/mail-types.ts';

const COUNTS = [1, 2, 5, 21, 1000];
const LOCALES = ['en', 'pl', 'ro', 'ru'];
const SETTINGS = { senderName: '', replyTo: '', accountUrl: 'https://shop.example/account' };

/** Each template with `n` points; the balance is `n` too and the days min(n, 30), so every figure shows its plural. */
function dataFor(template: MailTemplate, n: number): MailData[MailTemplate] {
  switch (template) {
    case 'pointsEarned':
    case 'pointsMatured':
      return { points: n, balance: n };
    case 'pointsExpiring':
      // 23:30 UTC on the 15th is already the 16th in Warsaw: the date is the shop's calendar day (D17, D18).
      return { points: n, expiresAt: new Date('2027-01-15T23:30:00Z'), days: Math.min(n, 30), balance: n };
    case 'redemptionReceipt':
      return { points: n, discount: n * 10, currency: 'PLN', balance: n };
    case 'feedbackRequest':
      return { orderNumber: `K-${n}`, scoreUrls: scoreUrls() };
    case 'tierUp':
    case 'tierDown':
      // D9: n points to the next tier, and the balance n too; the benefits are a list (one line each in the text).
      return { tier: { name: 'Gold', multiplier: '1.5', benefits: ['Free delivery', 'Birthday gift'], basis: 'points', currency: 'PLN', next: { name: 'Platinum', remaining: n } }, balance: n };
  }
}

const scoreUrls = () => Array.from({ length: 11 }, (_, score) => `https://lojal.example/v1/feedback?token=t&score=${score}`);

function input(template: MailTemplate, locale: string, n: number, over: Partial<MailInput> = {}): MailInput {
  return {
    template,
    data: dataFor(template, n),
    locale,
    firstName: 'Ana',
    shopName: 'Sklep',
    timeZone: 'Europe/Warsaw',
    settings: SETTINGS,
    unsubscribeUrl: 'https://lojal.example/v1/unsubscribe?token=t',
    ...over,
  };
}

describe('mail templates (D17)', () => {
  for (const template of MAIL_TEMPLATES.filter((t) => t !== 'feedbackRequest')) {
    for (const locale of LOCALES) {
      it(`${template} in ${locale}: subject and text for 1, 2, 5, 21 and 1,000 points`, () => {
        const out = COUNTS.map((n) => {
          const mail = renderMail(input(template, locale, n));
          expect(mail.locale).toBe(locale);
          return `# ${n}\nSubject: ${mail.subject}\n\n${mail.text}`;
        });
        expect(out.join('\n\n')).toMatchSnapshot();
      });
    }
  }

  for (const locale of LOCALES) {
    it(`feedbackRequest in ${locale}: subject and text, the eleven score links, no balance (D14)`, () => {
      const mail = renderMail(input('feedbackRequest', locale, 1042));
      expect(mail.locale).toBe(locale);
      expect(mail.text).toContain('K-1042');
      for (let score = 0; score <= 10; score++) expect(mail.text).toContain(`${score}: https://lojal.example/v1/feedback?token=t&score=${score}\n`.trimEnd());
      expect(`Subject: ${mail.subject}\n\n${mail.text}`).toMatchSnapshot();
    });
  }

  it('feedbackRequest in HTML: a row of eleven escaped links, 0 to 10, with the legend of its ends', () => {
    const urls = scoreUrls().map((url) => `${url}&x="<b>`);
    const mail = renderMail({ ...input('feedbackRequest', 'en', 1), data: { orderNumber: '<K-1>', scoreUrls: urls } });
    const links = [...mail.html.matchAll(/<a href="([^"]*)"[^>]*>(\d+)<\/a>/g)];
    expect(links.map((m) => Number(m[2]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(links[7]![1]).toBe('https://lojal.example/v1/feedback?token=t&amp;score=7&amp;x=&quot;&lt;b&gt;');
    expect(mail.html).toContain('Not likely');
    expect(mail.html).toContain('Very likely');
    expect(mail.html).toContain('&lt;K-1&gt;');
    expect(mail.html).not.toContain('<b>');
    expect(mail.text).not.toContain('balance');
  });

  it('plural forms per language: pl and ru three, ro "de" from 20 on', () => {
    const subjects = (template: MailTemplate, locale: string) => COUNTS.map((n) => renderMail(input(template, locale, n)).subject);
    expect(subjects('pointsMatured', 'pl')).toEqual([
      'Punkty do wykorzystania: 1 punkt',
      'Punkty do wykorzystania: 2 punkty',
      'Punkty do wykorzystania: 5 punktów',
      'Punkty do wykorzystania: 21 punktów',
      'Punkty do wykorzystania: 1000 punktów',
    ]);
    expect(subjects('pointsMatured', 'ru')).toEqual([
      'Баллы доступны: 1 балл',
      'Баллы доступны: 2 балла',
      'Баллы доступны: 5 баллов',
      'Баллы доступны: 21 балл',
      'Баллы доступны: 1\u00a0000 баллов',
    ]);
    expect(subjects('pointsMatured', 'ro')).toEqual([
      'Puncte disponibile: 1 punct',
      'Puncte disponibile: 2 puncte',
      'Puncte disponibile: 5 puncte',
      'Puncte disponibile: 21 de puncte',
      'Puncte disponibile: 1.000 de puncte',
    ]);
    expect(renderMail(input('pointsMatured', 'ro', 19)).subject).toBe('Puncte disponibile: 19 puncte');
    expect(renderMail(input('pointsMatured', 'ro', 20)).subject).toBe('Puncte disponibile: 20 de puncte');
    expect(renderMail(input('pointsMatured', 'ro', 101)).subject).toBe('Puncte disponibile: 101 puncte');
    expect(subjects('pointsMatured', 'en')).toEqual([
      '1 point now available',
      '2 points now available',
      '5 points now available',
      '21 points now available',
      '1,000 points now available',
    ]);
  });

  it('an unknown or regional locale falls back to en or its language', () => {
    for (const locale of ['de', 'xx-YY', '', 'english']) {
      const mail = renderMail(input('pointsExpiring', locale, 5));
      expect(mail).toEqual(renderMail(input('pointsExpiring', 'en', 5)));
      expect(mail.locale).toBe('en');
    }
    expect(mailLocale('pl-PL')).toBe('pl');
    expect(mailLocale('RU_ru')).toBe('ru');
  });

  it('dates are the shop\'s calendar day, in its time zone', () => {
    expect(renderMail(input('pointsExpiring', 'en', 5)).text).toContain('January 16, 2027');
    expect(renderMail(input('pointsExpiring', 'en', 5, { timeZone: 'America/New_York' })).text).toContain('January 15, 2027');
  });

  it('escapes every interpolated value in the HTML part and keeps the shop name on one line', () => {
    const mail = renderMail(input('pointsEarned', 'en', 5, {
      firstName: '<script>alert(1)</script>',
      shopName: 'Tom & "Jerry"\r\nBcc: x@example.com',
      settings: { ...SETTINGS, accountUrl: 'https://shop.example/a?x="><img src=x>' },
      unsubscribeUrl: 'https://lojal.example/v1/unsubscribe?token=a&b=<c>',
    }));
    expect(mail.html).not.toMatch(/<script|<img|&b=/);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('Tom &amp; &quot;Jerry&quot;');
    expect(mail.html).toContain('href="https://shop.example/a?x=&quot;&gt;&lt;img src=x&gt;"');
    expect(mail.html).toContain('token=a&amp;b=&lt;c&gt;');
    // The shop's name is free text: a line break in it never splits a sentence (or, were it in a subject, a header).
    expect(mail.text).toContain('at Tom & "Jerry" Bcc: x@example.com: you earned 5 points.');
  });

  it('the sender name, when set, is the shop in the text; without an account URL there is no call to action', () => {
    const mail = renderMail(input('pointsEarned', 'en', 5, { settings: { senderName: 'Sklep Ani', replyTo: '', accountUrl: '' } }));
    expect(mail.text).toContain('at Sklep Ani:');
    expect(mail.text).not.toContain('See your points');
    expect(mail.html).not.toContain('See your points');
  });
});
