import { DomainError, validationFailed } from '../common/errors.ts';
import type { ProgramSettings } from '../program/program-types.ts';
import type { ApiBonusKind, BirthdayDay } from './bonus-types.ts';

/** D11: the references that make each automatic bonus once per member (the bonuses table's key). */
export const SIGNUP_REFERENCE = 'signup';
/** The referred member's side of a referral: once per member, whoever referred it. */
export const REFERRED_REFERENCE = 'referred';
/** The referrer's side: once per member it referred (Lojal's member id: stable, and not personal data). */
export const referrerReference = (referredMemberId: string): string => `referral:${referredMemberId}`;
/** Once a year: the year of the shop's calendar day. */
export const birthdayReference = (day: BirthdayDay): string => String(day.year);

export const bonusNotConfigured = (kind: string): DomainError =>
  new DomainError('bonus_not_configured', `The program gives no ${kind} bonus (bonuses.${kind} is 0) and no points were named`, { kind });

/** D11: a custom bonus has no program amount, so it must name its points. Throws validation_failed. */
export function requirePoints(kind: ApiBonusKind, points: number | undefined): void {
  if (kind === 'custom' && points === undefined) throw validationFailed([{ field: '/points', message: 'is required for a custom bonus' }]);
}

/**
 * D11: the points a shop's bonus is worth: the points it names, else the program's amount for the kind (none for
 * `custom`). 0 means there is nothing to give (the caller answers bonus_not_configured).
 */
export function bonusPoints(kind: ApiBonusKind, amounts: ProgramSettings['bonuses'], points: number | undefined): number {
  if (points !== undefined) return points;
  return kind === 'custom' ? 0 : amounts[kind];
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * D11: the shop's calendar day at `asOf` in `timeZone` (an IANA zone the runtime knows), and whose birthday it is:
 * members born on that month and day, and on 28 February of a year without a 29th, those born on 29 February.
 */
export function birthdayDay(asOf: Date, timeZone: string): BirthdayDay {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(asOf);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const [year, month, day] = [part('year'), part('month'), part('day')];
  const days = month === 2 && day === 28 && !isLeapYear(year) ? [28, 29] : [day];
  return { year, month, days };
}

/** Whether a birthday (`YYYY-MM-DD`) is celebrated on `day`. */
export function isBirthday(birthday: string | null, day: BirthdayDay): boolean {
  if (birthday === null) return false;
  const [, month, date] = birthday.split('-').map(Number);
  return month === day.month && day.days.includes(date!);
}
