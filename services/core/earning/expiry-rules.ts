import type { ProgramSettings } from '../program/program-types.ts';

/** Adds calendar months in UTC, keeping the day where the month has it (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/**
 * D8: when a lot made at `at` expires under the program's policy. `afterMonths`: N months later. `endOfPeriod`:
 * the end of the month (or year) N months later. `none` and `inactivity` (a member-wide sweep): never per lot.
 */
export function lotExpiry(expiry: ProgramSettings['expiry'], at: Date): Date | null {
  switch (expiry.policy) {
    case 'afterMonths':
      return addMonths(at, expiry.months);
    case 'endOfPeriod': {
      const later = addMonths(at, expiry.months);
      return expiry.period === 'year'
        ? new Date(Date.UTC(later.getUTCFullYear() + 1, 0, 1))
        : new Date(Date.UTC(later.getUTCFullYear(), later.getUTCMonth() + 1, 1));
    }
    default:
      return null;
  }
}

/**
 * D8 inactivity: a member whose last activity is at or before this instant has its whole balance expire as of
 * `asOf` (N months after that activity); null under the other policies. Activity is what sets
 * `members.last_activity_at`: an earn, a burn (a redemption's commit), a bonus, an import or an adjustment
 * (ledger/posting.ts, ACTIVITY_KINDS); maturing, holds, releases, reversals and expiry itself are not activity.
 */
export function inactiveSince(expiry: ProgramSettings['expiry'], asOf: Date): Date | null {
  return expiry.policy === 'inactivity' ? addMonths(asOf, -expiry.months) : null;
}

/**
 * D8 inactivity: the instant a member last active at `since` has its balance expire, that is the first instant at
 * which `inactiveSince` reaches `since` (the sweep's own rule, turned round; the expiry reminders use it). Mostly N
 * months later; when that month lacks `since`'s day (Jan 31 + 1 month), the first of the month after. Null under the
 * other policies.
 */
export function inactivityExpiresAt(expiry: ProgramSettings['expiry'], since: Date): Date | null {
  if (expiry.policy !== 'inactivity') return null;
  const at = addMonths(since, expiry.months);
  if (inactiveSince(expiry, at)! >= since) return at;
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}
