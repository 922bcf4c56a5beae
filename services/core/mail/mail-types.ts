import type { MailSettings } from '../program/program-types.ts';

/**
 * D17: the messages Lojal sends a member. `pointsEarned` and `feedbackRequest` (D14) are marketing: only with the
 * member's consent.
 */
export type MailTemplate = 'pointsEarned' | 'pointsMatured' | 'pointsExpiring' | 'redemptionReceipt' | 'feedbackRequest';

export const MAIL_TEMPLATES: readonly MailTemplate[] = ['pointsEarned', 'pointsMatured', 'pointsExpiring', 'redemptionReceipt', 'feedbackRequest'];

/** Marketing messages need `marketingConsent`; the others are about the member's own points and go regardless. */
export const MARKETING_TEMPLATES: ReadonlySet<MailTemplate> = new Set(['pointsEarned', 'feedbackRequest']);

/** What each template says; every figure is a whole number of points or minor units. */
export interface MailData {
  pointsEarned: { points: number; balance: number };
  pointsMatured: { points: number; balance: number };
  pointsExpiring: { points: number; expiresAt: Date; days: number; balance: number };
  redemptionReceipt: { points: number; discount: number; currency: string; balance: number };
  /** D14: the order asked about and the eleven signed score links, for scores 0 to 10 in order (feedback-mail.ts). */
  feedbackRequest: { orderNumber: string; scoreUrls: string[] };
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
