export type AwardOn = 'paid' | 'completed';
export type NegativeBalance = 'allow' | 'writeoff';
export type ExpiryPolicy = 'none' | 'afterMonths' | 'endOfPeriod' | 'inactivity';

export interface ProgramSettings {
  /** The shop's currency; fixed (D1: a program has one currency). */
  currency: string;
  pointsPerUnit: number;
  awardOn: AwardOn;
  pendingDays: number;
  includeShipping: boolean;
  includeTax: boolean;
  negativeBalance: NegativeBalance;
  expiry: { policy: ExpiryPolicy; months: number; period?: 'month' | 'year' };
  remindDaysBefore: number[];
  redemption: { pointValue: number; minPoints: number; maxPercentOfOrder: number; holdMinutes: number };
  restoreGraceDays: number;
  guestAccrual: boolean;
  bonuses: { signup: number; birthday: number; review: number; referral: number; feedback: number };
  /** D14: days after an order completes that the feedback request goes out; null: none is sent. */
  feedbackRequestDays: number | null;
  /** D17: how the shop's messages to members look; empty strings mean "not set". */
  mail: MailSettings;
}

export interface MailSettings {
  /** Display name of the From address (MAIL_FROM); empty: the shop's name. */
  senderName: string;
  /** Where members' replies go; empty: no Reply-To. */
  replyTo: string;
  /** The member's account page in the shop, the messages' call to action; empty: no button. */
  accountUrl: string;
}

/** The documented defaults (issue: events and earning): 1 point per unit, award on completed, 14 pending days. */
export function defaultProgram(currency: string): ProgramSettings {
  return {
    currency,
    pointsPerUnit: 1,
    awardOn: 'completed',
    pendingDays: 14,
    includeShipping: false,
    includeTax: false,
    negativeBalance: 'allow',
    expiry: { policy: 'none', months: 12 },
    remindDaysBefore: [30, 7],
    redemption: { pointValue: 1, minPoints: 0, maxPercentOfOrder: 100, holdMinutes: 30 },
    restoreGraceDays: 30,
    guestAccrual: true,
    bonuses: { signup: 0, birthday: 0, review: 0, referral: 0, feedback: 0 },
    feedbackRequestDays: null,
    mail: { senderName: '', replyTo: '', accountUrl: '' },
  };
}
