import { validationFailed } from '../common/errors.ts';
import type { Profile } from './member-types.ts';

/** A profile as a caller sends it: `PUT /v1/members` and storefront customers (every field optional). */
export interface ProfileInput {
  email?: string | null;
  emailVerified?: boolean;
  firstName?: string | null;
  lastName?: string | null;
  locale?: string | null;
  birthday?: string | null;
  marketingConsent?: boolean;
  referredBy?: string | null;
}

/** The one normaliser of a profile: e-mail in lower case (D10 matches guests by it), defaults for what is absent. */
export function normaliseProfile(input: ProfileInput): Profile {
  return {
    email: input.email?.toLowerCase() ?? null,
    emailVerified: input.emailVerified ?? false,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    locale: input.locale ?? 'en',
    birthday: input.birthday ?? null,
    marketingConsent: input.marketingConsent ?? false,
    referredBy: input.referredBy ?? null,
  };
}

/** The earliest birthday taken: no one alive was born before it, and PostgreSQL has no year 0 to store. */
export const EARLIEST_BIRTHDAY = '1900-01-01';

/** `YYYY-MM-DD` naming a day that exists (not 1990-02-30). */
export function isCalendarDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

/** Why `day` cannot be a birthday as of `now`, or null: it is a real day from EARLIEST_BIRTHDAY to today. */
export function birthdayProblem(day: string, now: Date): string | null {
  if (!isCalendarDay(day)) return 'must be a real day, YYYY-MM-DD';
  if (day < EARLIEST_BIRTHDAY || new Date(`${day}T00:00:00Z`) > now) return `must be from ${EARLIEST_BIRTHDAY} to today`;
  return null;
}

/** D11: why `referredBy` cannot be the referrer of customer `customerId`, or null: no one refers themselves. */
export function referralProblem(customerId: string, referredBy: string | null | undefined): string | null {
  return referredBy === customerId ? "must not be the member's own customer id" : null;
}

/**
 * Checks a profile's birthday (the API's schemas check it too, naming the field where it was sent) and referrer
 * (D11: not the member itself). Throws validation_failed.
 */
export function validateProfile(profile: Profile, now: Date, customerId: string): void {
  const birthday = profile.birthday === null ? null : birthdayProblem(profile.birthday, now);
  const referral = referralProblem(customerId, profile.referredBy);
  const errors = [
    ...(birthday ? [{ field: '/birthday', message: birthday }] : []),
    ...(referral ? [{ field: '/referredBy', message: referral }] : []),
  ];
  if (errors.length > 0) throw validationFailed(errors);
}
