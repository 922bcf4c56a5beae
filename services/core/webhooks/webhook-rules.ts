import type { FieldError } from '../common/errors.ts';
import { isPrivateHost } from './webhook-address.ts';

/** D16: the pure rules of outbound webhooks: what an endpoint may be, and when a failed delivery is tried again. */

export const URL_MAX_LENGTH = 2048;

/** The first retry waits this long; each next one twice as long, up to BACKOFF_CAP_MS. */
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_CAP_MS = 6 * 3_600_000;

/** Retries go on at least this long after the first attempt; then a delivery is `failed`. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;

/** How long to wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min, ... doubling, at most 6 h. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_CAP_MS);
}

/**
 * Attempts in all, the first included: the fewest whose retries span RETRY_WINDOW_MS from the first attempt
 * (14: the 14th comes 26.5 h after the first when every attempt runs on time; a late one only moves it later).
 */
export const MAX_ATTEMPTS: number = (() => {
  let attempts = 1;
  for (let span = 0; span < RETRY_WINDOW_MS; attempts++) span += backoffMs(attempts);
  return attempts;
})();

/** What follows an attempt that failed, the `attempts`-th (counting it) made at `at`. */
export function afterFailure(attempts: number, at: Date): { status: 'pending'; nextAttemptAt: Date } | { status: 'failed'; nextAttemptAt: null } {
  if (attempts >= MAX_ATTEMPTS) return { status: 'failed', nextAttemptAt: null };
  return { status: 'pending', nextAttemptAt: new Date(at.getTime() + backoffMs(attempts)) };
}

/** An endpoint as a shop sets it: `url` null removes it. */
export interface EndpointInput {
  url: string | null;
  enabled: boolean;
}

/** The fields wrong in an endpoint, each named (body fields as JSON Pointers, like the other routes). */
export function endpointErrors({ url, enabled }: EndpointInput, allowPrivate: boolean): FieldError[] {
  if (url === null) return enabled ? [{ field: '/url', message: 'is required while enabled is true' }] : [];
  const message = urlProblem(url, allowPrivate);
  return message ? [{ field: '/url', message }] : [];
}

function urlProblem(url: string, allowPrivate: boolean): string | null {
  if (url.length > URL_MAX_LENGTH) return `must be at most ${URL_MAX_LENGTH} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an absolute http or https URL';
  if (!/^https?:\/\//i.test(url)) return 'must be an absolute http or https URL';
  if (parsed.username !== '' || parsed.password !== '') return 'must not carry a user name or password';
  if (parsed.hostname === '') return 'must name a host';
  if (!allowPrivate && isPrivateHost(parsed.hostname)) {
    return 'must name a public host: loopback, private and link-local addresses are refused (the operator can allow them)';
  }
  return null;
}

/** A short, safe reason for `last_error`: never a response body, at most 200 characters. */
export function shortError(reason: string): string {
  return reason.length > 200 ? `${reason.slice(0, 197)}...` : reason;
}
