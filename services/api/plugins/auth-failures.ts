import { isIPv6 } from 'node:net';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../core/common/errors.ts';
import { ttlCache } from '../../core/common/ttl-cache.ts';

/**
 * Counts failed authentications per client address, in one-minute windows, within this process. An address over
 * the limit is refused before anything is looked up, until its window ends: guessing keys or the operator token
 * costs neither a database lookup nor a comparison, and is slowed to the limit. Only failures count, so a client
 * whose calls succeed is never limited here (the rate limits, rate-limits.ts, are another matter).
 */
export function failureLimiter({ maxFailures, windowMs = 60_000, maxAddresses = 100_000 }: { maxFailures: number; windowMs?: number; maxAddresses?: number }) {
  const windows = new Map<string, { start: number; failures: number }>();
  const current = (key: string, now: number) => {
    const entry = windows.get(key);
    if (!entry || now - entry.start >= windowMs) return undefined;
    return entry;
  };
  return {
    /** Seconds until `key` may try again (at least 1), or 0 when it is not blocked. */
    retryAfterSeconds(key: string): number {
      const now = performance.now();
      const entry = current(key, now);
      if (!entry || entry.failures < maxFailures) return 0;
      return Math.max(1, Math.ceil((entry.start + windowMs - now) / 1000));
    },
    fail(key: string): void {
      const now = performance.now();
      const entry = current(key, now);
      if (entry) {
        entry.failures++;
        return;
      }
      windows.delete(key);
      // Bounded: the oldest window goes first (an attacker with many addresses cannot grow this without end).
      if (windows.size >= maxAddresses) windows.delete(windows.keys().next().value as string);
      windows.set(key, { start: now, failures: 1 });
    },
  };
}

/**
 * The address failures are counted under: the peer's IP (Fastify's `request.ip`), an IPv6 one by its /64, the
 * block one host is usually given (counting single IPv6 addresses would let one host try a few billion of them).
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * Credentials that authenticated lately (a shop key, a shop whose WooCommerce signature verified): they go through
 * an address blocked for failures, since many storefronts may share one address. Bounded: the oldest is forgotten
 * first. In this process's memory.
 */
export function recentSuccesses({ ttlMs = 3_600_000, maxEntries = 10_000 }: { ttlMs?: number; maxEntries?: number } = {}) {
  const seen = ttlCache<true>(ttlMs, maxEntries);
  return {
    has: (key: string): boolean => seen.peek(key) !== undefined,
    add: (key: string): void => seen.set(key, true),
  };
}

/** `429 rate_limited` with `Retry-After`, for a client over a failure limit. */
export function refuseRetryAfter(reply: FastifyReply, seconds: number, message: string): never {
  void reply.header('retry-after', String(seconds));
  throw new DomainError('rate_limited', message);
}
