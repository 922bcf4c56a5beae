import { validationFailed } from '../shared/errors.ts';
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

/** Checks what the schema cannot: a birthday that is a real, past calendar day. Throws validation_failed. */
export function validateProfile(profile: Profile, now: Date): void {
  if (profile.birthday !== null) {
    const day = new Date(`${profile.birthday}T00:00:00Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== profile.birthday || day > now) {
      throw validationFailed([{ field: '/birthday', message: 'must be a real past date, YYYY-MM-DD' }]);
    }
  }
}
