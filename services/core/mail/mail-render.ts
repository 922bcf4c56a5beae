import { formatter, type Formatter } from './mail-locale.ts';
import { MESSAGES } from './mail-messages.ts';
import { mailLocale } from './mail-locale.ts';
import type { Line, MailData, MailInput, MailLocale, MailTemplate, RenderedMail, TierFacts, Values } from './mail-types.ts';

/** D17: one message in the member's language (fallback en), as subject, plain text and HTML. Pure. */
export function renderMail<T extends MailTemplate>(input: MailInput<T>): RenderedMail {
  const locale = mailLocale(input.locale);
  const messages = MESSAGES[locale];
  const values = valuesOf(input, locale);
  const template = messages.templates[input.template];
  const name = input.firstName?.trim() || null;
  // A feedback request is not about points: it has no balance, and has its row of scores instead.
  const scoreUrls = input.template === 'feedbackRequest' ? (input.data as MailData['feedbackRequest']).scoreUrls : null;
  const paragraphs: Line[] = [messages.greeting(name), ...template.lines(values), ...(scoreUrls ? [] : [messages.balance(values)])];
  const { accountUrl } = input.settings;

  const text = [
    ...paragraphs.map((line) => (typeof line === 'string' ? line : line.map((item) => `- ${item}`).join('\n'))),
    ...(scoreUrls ? [scoreUrls.map((url, score) => `${messages.scores.score} ${score}: ${url}`).join('\n')] : []),
    ...(accountUrl ? [`${messages.cta}: ${accountUrl}`] : []),
    '--',
    `${messages.unsubscribe}: ${input.unsubscribeUrl}`,
  ].join('\n\n');

  const html = [
    '<!DOCTYPE html>',
    `<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(template.subject(values))}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5">',
    ...paragraphs.map((line) => (typeof line === 'string'
      ? `<p>${escapeHtml(line)}</p>`
      : `<ul>${line.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`)),
    ...(scoreUrls ? [scoreRow(scoreUrls, messages.scores)] : []),
    ...(accountUrl ? [`<p><a href="${escapeHtml(accountUrl)}">${escapeHtml(messages.cta)}</a></p>`] : []),
    `<hr><p style="font-size:small"><a href="${escapeHtml(input.unsubscribeUrl)}">${escapeHtml(messages.unsubscribe)}</a></p>`,
    '</body></html>',
  ].join('\n');

  return { template: input.template, locale, subject: oneLine(template.subject(values)), text, html };
}

function valuesOf<T extends MailTemplate>(input: MailInput<T>, locale: MailLocale): Values {
  const f = formatter(locale, input.timeZone);
  const forms = MESSAGES[locale];
  const data = input.data as Partial<MailData['pointsExpiring'] & MailData['redemptionReceipt'] & MailData['feedbackRequest'] & MailData['tierUp']>;
  return {
    points: f.count(data.points ?? 0, forms.points),
    balance: f.count(data.balance ?? 0, forms.points),
    shop: oneLine(input.settings.senderName || input.shopName),
    date: data.expiresAt ? f.date(data.expiresAt) : '',
    days: f.count(data.days ?? 0, forms.days),
    money: data.currency ? f.money(data.discount ?? 0, data.currency) : '',
    order: oneLine(data.orderNumber ?? ''),
    ...tierValues(data.tier, f, locale),
  };
}

/**
 * D9: a tier message's values: the multiplier only when it is not 1 (nothing to tell), what is left to the next tier
 * as points or as money in the program's currency, every name of the shop's on one line.
 */
function tierValues(tier: TierFacts | undefined, f: Formatter, locale: MailLocale): Pick<Values, 'tier' | 'multiplier' | 'benefits' | 'next' | 'remaining' | 'basis'> {
  if (!tier) return { tier: '', multiplier: '', benefits: [], next: '', remaining: '', basis: 'points' };
  const left = tier.next && tier.next.remaining > 0 ? tier.next.remaining : 0;
  const remaining = left === 0 ? ''
    : tier.basis === 'points' ? f.count(left, MESSAGES[locale].points)
    : tier.currency ? f.money(left, tier.currency) : '';
  return {
    tier: oneLine(tier.name),
    multiplier: Number(tier.multiplier) === 1 ? '' : f.multiplier(tier.multiplier),
    benefits: tier.benefits.map(oneLine).filter((b) => b !== ''),
    next: tier.next ? oneLine(tier.next.name) : '',
    remaining,
    basis: tier.basis,
  };
}

/** D14: eleven links in a row, 0 to 10, over the legend of its two ends; each opens the score page (records nothing). */
function scoreRow(urls: readonly string[], scores: { notLikely: string; veryLikely: string }): string {
  const cell = 'padding:2px';
  const button = 'display:inline-block;min-width:24px;padding:6px 4px;border:1px solid #888;border-radius:4px;text-align:center;text-decoration:none;color:#222';
  const links = urls.map((url, score) => `<td style="${cell}"><a href="${escapeHtml(url)}" style="${button}">${score}</a></td>`);
  return [
    '<table role="presentation" style="border-collapse:collapse"><tr>',
    ...links,
    '</tr><tr>',
    `<td colspan="5" style="font-size:small;text-align:left">${escapeHtml(scores.notLikely)}</td><td></td>`,
    `<td colspan="5" style="font-size:small;text-align:right">${escapeHtml(scores.veryLikely)}</td>`,
    '</tr></table>',
  ].join('\n');
}

/** A subject is one header line: a shop name with a line break in it must not start another header. */
function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ').trim();
}

/** Every interpolated value reaches HTML through this, attributes included (hence the quotes). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The small page the unsubscribe link opens, in the member's language. */
export function unsubscribedPage(locale: string | null): string {
  const lang = mailLocale(locale);
  const { title, body } = MESSAGES[lang].unsubscribed;
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`,
    `<title>${escapeHtml(title)}</title></head>`,
    `<body style="font-family:sans-serif;line-height:1.5"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`,
  ].join('\n');
}
