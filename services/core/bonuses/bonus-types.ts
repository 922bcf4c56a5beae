/** D11: what a bonus is given for (the `bonuses` table's check names the same kinds). */
export const BONUS_KINDS = ['signup', 'birthday', 'review', 'referral', 'feedback', 'custom'] as const;
export type BonusKind = (typeof BONUS_KINDS)[number];

/** The kinds a shop gives through `POST /v1/members/{customerId}/bonuses`; feedback comes with its answer (D14). */
export const API_BONUS_KINDS = ['review', 'birthday', 'signup', 'referral', 'custom'] as const satisfies readonly BonusKind[];
export type ApiBonusKind = (typeof API_BONUS_KINDS)[number];

/** The kinds that have a program amount (`bonuses` in the program's settings); `custom` always names its points. */
export type ConfiguredKind = Exclude<BonusKind, 'custom'>;

/** One bonus given: at most one per (member, kind, reference), with the ledger entry that credited it. */
export interface Bonus {
  memberId: string;
  kind: BonusKind;
  reference: string;
  points: number;
  entryId: string;
  actor: string;
  createdAt: Date;
}

/** What to give: the points are decided by the caller (the program's amount or the shop's own). */
export interface BonusAward {
  kind: BonusKind;
  reference: string;
  points: number;
  actor: string;
}

/** The shop's calendar day a birthdays run is about, and the birthdays (month and days) that fall on it. */
export interface BirthdayDay {
  year: number;
  month: number;
  /** Days of `month` celebrated today: the day itself, and 29 on 28 February of a year without one. */
  days: number[];
}
