import { describe, expect, it } from 'vitest';
import { renderMail } from '../../services/core/mail/mail-render.ts';
import type { MailInput, TierFacts } from '../../services/core/mail/mail-types.ts';

// D9/D17: the tier-up and tier-down messages: the tier's name, its multiplier, its benefits as a list, and what it
// takes to reach (or to return to) the next tier, in points or in money, with each language's plural forms.
const SETTINGS = { senderName: '', replyTo: '', accountUrl: 'https://shop.example/account' };
const GOLD: TierFacts = {
  name: 'Gold',
  multiplier: '1.5',
  benefits: ['Free delivery', 'A gift on your birthday'],
  basis: 'points',
  currency: 'PLN',
  next: { name: 'Platinum', remaining: 25 },
};

function tierMail(template: 'tierUp' | 'tierDown', locale: string, tier: Partial<TierFacts> = {}, over: Partial<MailInput> = {}) {
  return renderMail({
    template,
    data: { tier: { ...GOLD, ...tier }, balance: 340 },
    locale,
    firstName: 'Ana',
    shopName: 'Sklep',
    timeZone: 'Europe/Warsaw',
    settings: SETTINGS,
    unsubscribeUrl: 'https://lojal.example/v1/unsubscribe?token=t',
    ...over,
  });
}

/** The line of the text that tells the way to the next tier (the last paragraph before the balance). */
const wayOn = (template: 'tierUp' | 'tierDown', locale: string, tier: Partial<TierFacts>) =>
  tierMail(template, locale, tier).text.split('\n\n').at(-5);

describe('tier messages (D9, D17)', () => {
  for (const locale of ['en', 'pl', 'ro', 'ru']) {
    for (const template of ['tierUp', 'tierDown'] as const) {
      it(`${template} in ${locale}: subject, text with the benefits as a list, and by spend`, () => {
        const points = tierMail(template, locale);
        const spend = tierMail(template, locale, { basis: 'spend', multiplier: '2', next: { name: 'Platinum', remaining: 123_456 } });
        expect(points.locale).toBe(locale);
        expect(`Subject: ${points.subject}\n\n${points.text}\n\n# spend\n\n${spend.text}`).toMatchSnapshot();
      });
    }
  }

  it('pl and ru: the points to the next tier in three forms (1, 2, 5, 21, 22, 25)', () => {
    const counts = [1, 2, 5, 21, 22, 25];
    const lines = (template: 'tierUp' | 'tierDown', locale: string) => counts.map((remaining) => wayOn(template, locale, { next: { name: 'Platinum', remaining } }));
    expect(lines('tierUp', 'pl')).toEqual([
      'Zbierz jeszcze 1 punkt, aby osiągnąć poziom Platinum.',
      'Zbierz jeszcze 2 punkty, aby osiągnąć poziom Platinum.',
      'Zbierz jeszcze 5 punktów, aby osiągnąć poziom Platinum.',
      'Zbierz jeszcze 21 punktów, aby osiągnąć poziom Platinum.',
      'Zbierz jeszcze 22 punkty, aby osiągnąć poziom Platinum.',
      'Zbierz jeszcze 25 punktów, aby osiągnąć poziom Platinum.',
    ]);
    expect(lines('tierDown', 'pl')).toEqual([
      'Zbierz jeszcze 1 punkt, aby wrócić na poziom Platinum.',
      'Zbierz jeszcze 2 punkty, aby wrócić na poziom Platinum.',
      'Zbierz jeszcze 5 punktów, aby wrócić na poziom Platinum.',
      'Zbierz jeszcze 21 punktów, aby wrócić na poziom Platinum.',
      'Zbierz jeszcze 22 punkty, aby wrócić na poziom Platinum.',
      'Zbierz jeszcze 25 punktów, aby wrócić na poziom Platinum.',
    ]);
    expect(lines('tierUp', 'ru')).toEqual([
      'Наберите ещё 1 балл, чтобы перейти на уровень Platinum.',
      'Наберите ещё 2 балла, чтобы перейти на уровень Platinum.',
      'Наберите ещё 5 баллов, чтобы перейти на уровень Platinum.',
      'Наберите ещё 21 балл, чтобы перейти на уровень Platinum.',
      'Наберите ещё 22 балла, чтобы перейти на уровень Platinum.',
      'Наберите ещё 25 баллов, чтобы перейти на уровень Platinum.',
    ]);
    expect(lines('tierDown', 'ru')[4]).toBe('Наберите ещё 22 балла, чтобы вернуться на уровень Platinum.');
  });

  it('ro: "de" from 20 on (1 punct, 2 puncte, 20 de puncte); en: one and other', () => {
    expect([1, 2, 20].map((remaining) => wayOn('tierUp', 'ro', { next: { name: 'Platinum', remaining } }))).toEqual([
      'Mai acumulați 1 punct pentru a ajunge la nivelul Platinum.',
      'Mai acumulați 2 puncte pentru a ajunge la nivelul Platinum.',
      'Mai acumulați 20 de puncte pentru a ajunge la nivelul Platinum.',
    ]);
    expect(wayOn('tierDown', 'ro', { next: { name: 'Platinum', remaining: 20 } })).toBe('Mai acumulați 20 de puncte pentru a reveni la nivelul Platinum.');
    expect([1, 1000].map((remaining) => wayOn('tierUp', 'en', { next: { name: 'Platinum', remaining } }))).toEqual([
      'Earn another 1 point to reach Platinum.',
      'Earn another 1,000 points to reach Platinum.',
    ]);
  });

  // Intl puts a no-break space (U+00A0) between the amount and the currency, and in ru between thousands.
  it('by spend: money in the program currency, written the language\'s way, from minor units', () => {
    const spend = { basis: 'spend' as const, next: { name: 'Platinum', remaining: 5_000 } };
    expect(wayOn('tierUp', 'en', spend)).toBe('Spend another PLN\u00a050.00 to reach Platinum.');
    expect(wayOn('tierUp', 'pl', spend)).toBe('Wydaj jeszcze 50,00\u00a0zł, aby osiągnąć poziom Platinum.');
    expect(wayOn('tierDown', 'ro', { ...spend, currency: 'EUR', next: { name: 'Platinum', remaining: 123_450 } }))
      .toBe('Mai cheltuiți 1.234,50\u00a0EUR pentru a reveni la nivelul Platinum.');
    expect(wayOn('tierDown', 'ru', { ...spend, currency: 'JPY', next: { name: 'Platinum', remaining: 5_000 } }))
      .toBe('Совершите покупки ещё на 5\u00a0000\u00a0¥, чтобы вернуться на уровень Platinum.');
  });

  it('the multiplier in the language\'s decimals; none said when it is 1', () => {
    expect(tierMail('tierUp', 'en').text).toContain('You now earn 1.5× points.');
    expect(tierMail('tierUp', 'pl', { multiplier: '1.25' }).text).toContain('Od teraz zbierasz punkty z mnożnikiem 1,25×.');
    expect(tierMail('tierDown', 'ru').text).toContain('На уровне Gold вы получаете баллы с множителем 1,5×.');
    expect(tierMail('tierUp', 'en', { multiplier: '1.0' }).text).not.toContain('×');
  });

  it('tierUp without a next tier (the top one), without benefits: congratulations, the tier and the balance only', () => {
    const mail = tierMail('tierUp', 'en', { next: null, benefits: [], multiplier: '1' });
    expect(mail.subject).toBe('Congratulations! Your new tier: Gold');
    expect(mail.text.split('\n\n').slice(0, 3)).toEqual([
      'Hello Ana,',
      'Congratulations! You have reached a new tier at Sklep: Gold. Thank you for your loyalty.',
      'Your balance: 340 points.',
    ]);
    expect(mail.text).not.toMatch(/Earn another|Spend another|benefits/);
    expect(mail.html).not.toContain('<ul>');
    // Nothing left to reach is not a sentence either.
    expect(tierMail('tierUp', 'en', { next: { name: 'Platinum', remaining: 0 } }).text).not.toContain('Platinum');
  });

  it('tierDown is kind: it thanks the member, names the tier, keeps the points, shows the way back', () => {
    const mail = tierMail('tierDown', 'en', { name: 'Silver', multiplier: '1', benefits: [], next: { name: 'Gold', remaining: 180 } });
    expect(mail.subject).toBe('An update on your tier: Silver');
    expect(mail.text.split('\n\n').slice(1, 4)).toEqual([
      'Thank you for being a member at Sklep.',
      'Your tier is now Silver. The points you have collected stay yours.',
      'Earn another 180 points to return to Gold.',
    ]);
    for (const locale of ['en', 'pl', 'ro', 'ru']) expect(tierMail('tierDown', locale).text).not.toMatch(/lost|unfortunately|niestety|stracił|din păcate|к сожалению|потеряли/i);
  });

  it('HTML: the layout with the benefits as a list, every shop-given name escaped and on one line', () => {
    const mail = tierMail('tierUp', 'en', { name: 'Gold <b>', benefits: ['Free "delivery" & more', 'Two\r\nlines'], next: { name: 'Plat<i>num', remaining: 5 } });
    expect(mail.html).toContain('<ul><li>Free &quot;delivery&quot; &amp; more</li><li>Two lines</li></ul>');
    expect(mail.html).toContain('a new tier at Sklep: Gold &lt;b&gt;. Thank');
    expect(mail.html).toContain('to reach Plat&lt;i&gt;num.');
    expect(mail.html).not.toMatch(/<b>|<i>/);
    expect(mail.html).toContain('<a href="https://shop.example/account">See your points</a>');
    expect(mail.html).toContain('<a href="https://lojal.example/v1/unsubscribe?token=t">');
    expect(mail.text).toContain('Your Gold <b> benefits:\n\n- Free "delivery" & more\n- Two lines');
    expect(mail.text).toContain('See your points: https://shop.example/account');
    expect(mail.text).toContain('Unsubscribe: https://lojal.example/v1/unsubscribe?token=t');
  });
});
