import { DomainError } from '../common/errors.ts';

/** Who asks for a job run through the API: a shop's key, for itself, or the operator token, for any shop. */
export type JobCaller = 'shop' | 'operator';

/** D18: how far ahead of the present a shop's own run may be as of: enough for clocks that differ, no more. */
export const SHOP_AS_OF_LEEWAY_MS = 5 * 60_000;

/**
 * D18: the instant a run is as of: the `asOf` asked for, or now. A shop may not run ahead of the present by more
 * than the leeway (it would mature points before their return period is over); an operator may pick any instant.
 * Throws as_of_in_future.
 */
export function runAsOf(caller: JobCaller, asOf: Date | null, now: Date): Date {
  if (!asOf) return now;
  const latest = new Date(now.getTime() + SHOP_AS_OF_LEEWAY_MS);
  if (caller === 'shop' && asOf > latest) {
    throw new DomainError(
      'as_of_in_future',
      `A shop runs a job as of now or at most 5 minutes ahead (${latest.toISOString()}); an operator may run it for any time`,
      { latestAsOf: latest.toISOString() },
    );
  }
  return asOf;
}
