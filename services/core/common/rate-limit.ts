/** D21: a steady rate and how many requests may come at once, on top of it, after a quiet spell. */
export interface RateBudget {
  readonly perMinute: number;
  readonly burst: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Requests that could still come at once right now. */
  remaining: number;
  /** When refused: how long until one request would be allowed, in ms (0 when allowed). */
  retryAfterMs: number;
  /** How long until the budget is whole again, in ms. */
  resetMs: number;
}

/** Float sums of a non-integral interval may miss the capacity by a rounding error: not a request's worth. */
const EPSILON_MS = 0.001;

/**
 * D21: the generic cell rate algorithm (GCRA), a token bucket kept as one number. `tat`, the theoretical arrival
 * time, is when the budget would be whole again had every request come at the steady rate; each allowed request
 * moves it one interval (60 000 / perMinute ms) later, and a request is refused when that would put it more than
 * `burst` intervals ahead of now. So a client at a steady rate under the limit is never refused, whatever it did a
 * minute ago, and one just over it loses only the excess, spread evenly, not the rest of a window. A refused request
 * changes nothing: hammering does not lengthen the wait. `services/core/common/rate-limit-redis.ts` runs the same
 * rule in Redis; the two must agree.
 */
export function gcra(tat: number | undefined, now: number, { perMinute, burst }: RateBudget): { decision: RateDecision; tat: number } {
  const interval = 60_000 / perMinute;
  const capacity = interval * burst;
  const start = Math.max(tat ?? now, now);
  const ahead = start + interval - now;
  if (ahead > capacity + EPSILON_MS) {
    return { decision: { allowed: false, remaining: 0, retryAfterMs: ahead - capacity, resetMs: start - now }, tat: start };
  }
  const remaining = Math.floor((capacity - ahead) / interval + EPSILON_MS / interval);
  return { decision: { allowed: true, remaining, retryAfterMs: 0, resetMs: ahead }, tat: start + interval };
}

/**
 * The same rule over this process's memory: where Redis is not answering, and in tests of the rule. Bounded: past
 * `maxKeys` the least recently used bucket is forgotten (a forgotten bucket is a whole one, the lenient side).
 */
export function localRateLimiter({ maxKeys = 100_000, now = () => performance.now() }: { maxKeys?: number; now?: () => number } = {}) {
  const tats = new Map<string, number>();
  const remember = (key: string, tat: number) => {
    // Re-inserted, so the Map's order is least recently used first.
    tats.delete(key);
    if (tats.size >= maxKeys) tats.delete(tats.keys().next().value as string);
    tats.set(key, tat);
  };
  return {
    take(key: string, budget: RateBudget): RateDecision {
      const at = now();
      const { decision, tat } = gcra(tats.get(key), at, budget);
      remember(key, tat);
      return decision;
    },
    /**
     * Takes the state another store decided (`resetMs` from now, the budget is whole again): a process that falls back
     * on its own memory goes on from where the shared budget stood, instead of from a whole one.
     */
    sync(key: string, resetMs: number): void {
      remember(key, now() + resetMs);
    },
    /** Buckets held (for tests). */
    get size(): number {
      return tats.size;
    },
  };
}

export type LocalRateLimiter = ReturnType<typeof localRateLimiter>;

/** `Retry-After` in whole seconds, at least 1: a client that retries at once would only be refused again. */
export function retryAfterSeconds(decision: RateDecision): number {
  return Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
}
