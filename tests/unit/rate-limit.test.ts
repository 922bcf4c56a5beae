import { describe, expect, it } from 'vitest';
import { gcra, localRateLimiter, retryAfterSeconds, type RateBudget } from '../../services/core/common/rate-limit.ts';

// D21: the rate rule (GCRA) on a simulated clock; the Redis twin runs the same rule (tests/api/rate-limits.test.ts).

const PER_MINUTE = 600; // one request every 100 ms
const INTERVAL_MS = 60_000 / PER_MINUTE;

/** Runs a client sending at `times` (ms) against one bucket; returns the decisions. */
function run(budget: RateBudget, times: number[]) {
  let tat: number | undefined;
  return times.map((now) => {
    const step = gcra(tat, now, budget);
    tat = step.tat;
    return step.decision;
  });
}

const steady = (from: number, every: number, count: number) => Array.from({ length: count }, (_, i) => from + i * every);

describe('gcra (D21)', () => {
  it('allows a burst at once, then refuses the next until one interval has passed', () => {
    const decisions = run({ perMinute: PER_MINUTE, burst: 5 }, [...Array(6).fill(0), INTERVAL_MS - 1, INTERVAL_MS]);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false, true]);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0, 0]);
    expect(decisions[5]!.retryAfterMs).toBeCloseTo(INTERVAL_MS);
    expect(decisions[6]!.retryAfterMs).toBeCloseTo(1);
    expect(decisions[4]!.resetMs).toBeCloseTo(5 * INTERVAL_MS);
  });

  it('never refuses a steady client just under the rate, over three minutes, even after spending its whole burst', () => {
    const burst = 20;
    const times = [...Array(burst).fill(0), ...steady(INTERVAL_MS * 1.02, INTERVAL_MS * 1.02, 3 * PER_MINUTE)];
    expect(times.at(-1)).toBeGreaterThan(3 * 60_000);
    expect(run({ perMinute: PER_MINUTE, burst }, times).filter((d) => !d.allowed)).toEqual([]);
  });

  it('refuses a client just over the rate only its excess, spread out: never two in a row, never for the rest of a minute', () => {
    const decisions = run({ perMinute: PER_MINUTE, burst: 10 }, steady(0, INTERVAL_MS / 1.05, 3 * PER_MINUTE));
    const refused = decisions.filter((d) => !d.allowed).length;
    // 5% over: about 1 in 21 refused once the burst is spent, none in a row.
    expect(refused / decisions.length).toBeGreaterThan(0.03);
    expect(refused / decisions.length).toBeLessThan(0.05);
    expect(decisions.some((d, i) => !d.allowed && !decisions[i + 1]?.allowed)).toBe(false);
  });

  it('counts nothing for a refused request: hammering does not lengthen the wait', () => {
    const budget = { perMinute: 60, burst: 2 };
    const hammered = run(budget, [0, 0, ...steady(1, 10, 99), 1_000]);
    expect(hammered.at(-1)!.allowed).toBe(true);
    expect(hammered.slice(2, -1).every((d) => !d.allowed)).toBe(true);
  });

  it('says when the next request will be allowed: Retry-After is the whole seconds until then, at least 1', () => {
    const budget = { perMinute: 6, burst: 1 }; // one every 10 s
    const [, refused] = run(budget, [0, 2_500]);
    expect(refused!.retryAfterMs).toBeCloseTo(7_500);
    expect(retryAfterSeconds(refused!)).toBe(8);
    expect(run(budget, [0, 9_999.5])[1]!.allowed).toBe(false);
    expect(retryAfterSeconds(run(budget, [0, 9_999.5])[1]!)).toBe(1);
    expect(run(budget, [0, 10_000])[1]!.allowed).toBe(true);
  });

  it('keeps the burst exact for a rate that is no whole number of milliseconds', () => {
    const decisions = run({ perMinute: 7, burst: 7 }, Array(8).fill(0));
    expect(decisions.map((d) => d.allowed)).toEqual([...Array(7).fill(true), false]);
  });
});

describe('localRateLimiter', () => {
  it('keeps a bucket per key, forgets the least recently used past its bound, and goes on from a synced state', () => {
    let now = 0;
    const limiter = localRateLimiter({ maxKeys: 2, now: () => now });
    const budget = { perMinute: 60, burst: 1 };
    expect(limiter.take('a', budget).allowed).toBe(true);
    expect(limiter.take('b', budget).allowed).toBe(true);
    expect(limiter.take('a', budget).allowed).toBe(false);
    expect(limiter.take('c', budget).allowed).toBe(true); // 'b' goes: 'a' was used after it
    expect(limiter.size).toBe(2);
    expect(limiter.take('b', budget).allowed).toBe(true);
    limiter.sync('d', 500); // another store said: whole again in 500 ms
    expect(limiter.take('d', budget)).toMatchObject({ allowed: false, retryAfterMs: 500 });
    now = 500;
    expect(limiter.take('d', budget).allowed).toBe(true);
  });
});
