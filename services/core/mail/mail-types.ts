import type { MailSettings } from '../program/program-types.ts';

/**
 * D17: the messages Lojal sends a member. `pointsEarned` and `feedbackRequest` (D14) are marketing: only with the
 * member's consent. `tierUp` and `tierDown` (D9) tell the member's own tier, an account status message: no consent.
 */
export type MailTemplate =
  | 'pointsEarned' | 'pointsMatured' | 'pointsExpiring' | 'redemptionReceipt' | 'feedbackRequest' | 'tierUp' | 'tierDown';

export const MAIL_TEMPLATES: readonly MailTemplate[] = [
  'pointsEarned', 'pointsMatured', 'pointsExpiring', 'redemptionReceipt', 'feedbackRequest', 'tierUp', 'tierDown',
];

/**
 * Marketing messages need `marketingConsent`; the others are about the member's own points or tier (account status)
 * and go regardless.
 */
export const MARKETING_TEMPLATES: ReadonlySet<MailTemplate> = new Set(['pointsEarned', 'feedbackRequest']);

/**
 * D9: what a tier message says of the tier the member is now in (its name, its earning multiplier as a decimal
 * string such as "1.5", its benefits as the shop named them) and of the next tier within reach: the one above, with
 * what is `remaining` to get there (points, or minor units of `currency` when the tiers count `spend`).
 */
export interface TierFacts {
  name: string;
  multiplier: string;
  benefits: string[];
  basis: 'points' | 'spend';
  currency: string;
  next: { name: string; remaining: number } | null;
}

/** What each template says; every figure is a whole number of points or minor units. */
export interface MailData {
  pointsEarned: { points: number; balance: number };
  pointsMatured: { points: number; balance: number };
  pointsExpiring: { points: number; expiresAt: Date; days: number; balance: number };
  redemptionReceipt: { points: number; discount: number; currency: string; balance: number };
  /** D14: the order asked about and the eleven signed score links, for scores 0 to 10 in order (feedback-mail.ts). */
  feedbackRequest: { orderNumber: string; scoreUrls: string[] };
  /** D9: congratulations on the new tier; `next` is the one above it. */
  tierUp: { tier: TierFacts; balance: number };
  /** D9: the tier the member stepped down to, kindly; `next` is the one left, to climb back to. */
  tierDown: { tier: TierFacts; balance: number };
}

/** One message to render: the template, its data, the member and the shop it comes from. */
export interface MailInput<T extends MailTemplate = MailTemplate> {
  template: T;
  data: MailData[T];
  /** The member's locale as stored; anything but en, pl, ro, ru falls back to en. */
  locale: string;
  firstName: string | null;
  shopName: string;
  /** IANA zone of the shop: dates are the shop's calendar days. */
  timeZone: string;
  settings: MailSettings;
  /** The signed unsubscribe link (unsubscribe-token.ts). */
  unsubscribeUrl: string;
}

export interface RenderedMail {
  template: MailTemplate;
  locale: MailLocale;
  subject: string;
  text: string;
  html: string;
}

export type MailLocale = 'en' | 'pl' | 'ro' | 'ru';

/**
 * The values a template's sentences take, already written in the member's language (numbers with their nouns,
 * dates, money). Sentences are plain text; the renderer escapes each whole line for HTML, so every value is escaped.
 */
export interface Values {
  points: string;
  balance: string;
  shop: string;
  date: string;
  days: string;
  money: string;
  /** The order's number (feedbackRequest). */
  order: string;
  /** Tier messages (D9): the tier's name; its multiplier ("1.5×", empty when it is 1); its benefits. */
  tier: string;
  multiplier: string;
  benefits: string[];
  /** The next tier's name (empty: none) and what is left to reach it, as points or as money (`basis`). */
  next: string;
  remaining: string;
  basis: 'points' | 'spend';
}

/** A line of a message: a paragraph, or a list (each item a line of its own; a bulleted list in HTML). */
export type Line = string | readonly string[];

export interface TemplateText {
  subject: (v: Values) => string;
  lines: (v: Values) => Line[];
}
