import { describe, expect, it } from 'vitest';
import {
  creditOf,
  currentWindow,
  decideConfigChange,
  decideReview,
  decideUpgrade,
  earningTier,
  nextTier,
  previousWindow,
  remapRemoved,
  tierConfigErrors,
} from '../../services/core/tiers/tier-rules.ts';
import type { TierConfig, TierStanding } from '../../services/core/tiers/tier-types.ts';

const BASE: TierConfig = {
  basis: 'points',
  window: 'calendarYear',
  retainMonths: 0,
  stepDown: false,
  tiers: [
    { id: 'base', name: 'Member', threshold: 0, multiplier: 1, benefits: [] },
    { id: 'silver', name: 'Silver', threshold: 100, multiplier: 1.5, benefits: [] },
    { id: 'gold', name: 'Gold', threshold: 300, multiplier: 2, benefits: [] },
  ],
};

/**
 * A member's timeline run through the pure rules the way the service runs them: every credit (a maturity +, a
 * reversal −) may upgrade; `review` is the tiers job at that instant (it acts only once the review is due).
 */
type Step = { at: string; credit: number } | { at: string; review: true };

function simulate(config: TierConfig, steps: Step[], timeZone = 'UTC'): { tier: string; history: string[] } {
  const credits: { at: Date; points: number }[] = [];
  let s: TierStanding = { tierId: null, since: null, reviewAt: null, heldUntil: null };
  const history: string[] = [];
  const total = (span: { start: Date | null; end: Date | null } | null, asOf: Date) =>
    span === null
      ? 0
      : credits
          .filter((c) => (!span.start || c.at >= span.start) && (span.end && span.end <= asOf && span.end.getTime() !== asOf.getTime() ? c.at < span.end : c.at <= asOf))
          .reduce((sum, c) => sum + c.points, 0);
  for (const step of steps) {
    const at = new Date(step.at);
    let change = null;
    if ('credit' in step) {
      credits.push({ at, points: step.credit });
      if (step.credit > 0) change = decideUpgrade(config, s, total(currentWindow(config, at, timeZone), at), at, timeZone);
    } else if (s.reviewAt && s.reviewAt <= at) {
      const totals = { current: total(currentWindow(config, at, timeZone), at), previous: total(previousWindow(config, at, timeZone), at) };
      const outcome = decideReview(config, s, totals, at, timeZone);
      if (outcome.kind === 'keep') s = { ...s, reviewAt: outcome.reviewAt };
      else change = outcome.change;
    }
    if (change) {
      history.push(`${step.at} ${change.from}→${change.to} ${change.reason}`);
      s = { tierId: change.to, since: change.since, reviewAt: change.reviewAt, heldUntil: change.heldUntil };
    }
  }
  return { tier: s.tierId ?? 'base', history };
}

describe('tier timelines (D9)', () => {
  it.each<[string, TierConfig, Step[], string, number]>([
    ['earning up to a threshold upgrades at once', BASE, [{ at: '2026-03-01T00:00:00Z', credit: 60 }, { at: '2026-03-02T00:00:00Z', credit: 40 }], 'silver', 1],
    ['one big credit jumps straight to the highest tier it reaches', BASE, [{ at: '2026-03-01T00:00:00Z', credit: 350 }], 'gold', 1],
    ['a reversal lowers the total but never the tier before the window closes', BASE, [
      { at: '2026-03-01T00:00:00Z', credit: 150 }, { at: '2026-04-01T00:00:00Z', credit: -150 }, { at: '2026-12-31T23:59:59Z', review: true },
    ], 'silver', 1],
    ['the window closes below the threshold: down at once without grace', BASE, [
      { at: '2026-03-01T00:00:00Z', credit: 150 }, { at: '2026-04-01T00:00:00Z', credit: -150 }, { at: '2027-01-01T00:00:00Z', review: true },
    ], 'base', 2],
    ['a year that reached the threshold keeps the tier through the next year', BASE, [
      { at: '2026-03-01T00:00:00Z', credit: 150 }, { at: '2027-01-01T00:00:00Z', review: true }, { at: '2027-12-31T00:00:00Z', review: true },
    ], 'silver', 1],
    ['...and a year without enough ends it', BASE, [
      { at: '2026-03-01T00:00:00Z', credit: 150 }, { at: '2027-01-01T00:00:00Z', review: true }, { at: '2028-01-01T00:00:00Z', review: true },
    ], 'base', 2],
    ['retainMonths of grace after the window closes', { ...BASE, retainMonths: 3 }, [
      { at: '2026-03-01T00:00:00Z', credit: 150 }, { at: '2026-04-01T00:00:00Z', credit: -150 },
      { at: '2027-03-31T23:59:59Z', review: true },
    ], 'silver', 1],
    ['the grace ends: down', { ...BASE, retainMonths: 3 }, [
      { at: '2026-03-01T00:00:00Z', credit: 150 }, { at: '2026-04-01T00:00:00Z', credit: -150 }, { at: '2027-04-01T00:00:00Z', review: true },
    ], 'base', 2],
    ['earning again during the grace keeps the tier', { ...BASE, retainMonths: 3 }, [
      { at: '2026-03-01T00:00:00Z', credit: 150 }, { at: '2026-04-01T00:00:00Z', credit: -150 },
      { at: '2027-02-01T00:00:00Z', credit: 120 }, { at: '2027-04-01T00:00:00Z', review: true },
    ], 'silver', 1],
    ['stepDown goes one tier a window', { ...BASE, stepDown: true }, [
      { at: '2026-03-01T00:00:00Z', credit: 400 }, { at: '2027-01-01T00:00:00Z', review: true },
      { at: '2028-01-01T00:00:00Z', review: true }, { at: '2029-01-01T00:00:00Z', review: true },
    ], 'base', 3],
    ['without stepDown, straight to what the total reaches', BASE, [
      { at: '2026-03-01T00:00:00Z', credit: 400 }, { at: '2027-01-01T00:00:00Z', review: true }, { at: '2028-01-01T00:00:00Z', review: true },
    ], 'base', 2],
    ['rolling12Months: reviewed 12 months after reaching the tier, on the last 12 months', { ...BASE, window: 'rolling12Months' }, [
      { at: '2026-03-01T00:00:00Z', credit: 150 }, { at: '2026-11-01T00:00:00Z', credit: 120 }, { at: '2027-03-01T00:00:00Z', review: true },
      { at: '2028-03-01T00:00:00Z', review: true },
    ], 'base', 2],
    ['rolling12Months: the window rolls over, old credits fall out of it', { ...BASE, window: 'rolling12Months' }, [
      { at: '2026-03-01T00:00:00Z', credit: 90 }, { at: '2027-03-02T00:00:00Z', credit: 20 },
    ], 'base', 0],
    ['lifetime never closes: no downgrade ever', { ...BASE, window: 'lifetime' }, [
      { at: '2026-03-01T00:00:00Z', credit: 150 }, { at: '2026-04-01T00:00:00Z', credit: -150 }, { at: '2036-01-01T00:00:00Z', review: true },
    ], 'silver', 1],
  ])('%s', (_name, config, steps, tier, changes) => {
    const result = simulate(config, steps);
    expect(result.tier).toBe(tier);
    expect(result.history).toHaveLength(changes);
  });

  it('closes a calendar year in the shop’s zone: 23:30 UTC on 31 December is already next year in Bucharest', () => {
    const steps: Step[] = [{ at: '2026-03-01T00:00:00Z', credit: 150 }, { at: '2026-12-31T23:30:00Z', credit: -150 }, { at: '2026-12-31T23:30:00Z', review: true }];
    // In UTC the year has not closed; in Bucharest it has, and the reversal counts to 2027.
    expect(simulate(BASE, steps, 'UTC').tier).toBe('silver');
    expect(simulate(BASE, steps, 'Europe/Bucharest').tier).toBe('silver');
    expect(simulate(BASE, [{ at: '2026-03-01T00:00:00Z', credit: 150 }, { at: '2026-12-31T21:59:59Z', credit: -150 }, { at: '2026-12-31T23:30:00Z', review: true }], 'Europe/Bucharest').tier).toBe('base');
    expect(currentWindow(BASE, new Date('2026-12-31T23:30:00Z'), 'Europe/Bucharest')).toEqual({
      start: new Date('2026-12-31T22:00:00Z'),
      end: new Date('2027-12-31T22:00:00Z'),
    });
    expect(currentWindow(BASE, new Date('2026-12-31T23:30:00Z'), 'UTC').start).toEqual(new Date('2026-01-01T00:00:00Z'));
    // A credit at 23:30 UTC counts to the Bucharest year that has just begun.
    const credited: Step[] = [{ at: '2026-12-31T23:30:00Z', credit: 150 }];
    expect(simulate(BASE, credited, 'Europe/Bucharest').history).toEqual(['2026-12-31T23:30:00Z base→silver qualified']);
  });
});

describe('configuration changes', () => {
  const standing = (tierId: string | null): TierStanding => ({ tierId, since: new Date('2026-01-10T00:00:00Z'), reviewAt: null, heldUntil: null });
  const at = new Date('2026-06-01T00:00:00Z');

  it('upgrades at once, never moves down, and sends a removed tier’s members to the nearest tier below it', () => {
    const next: TierConfig = { ...BASE, tiers: [BASE.tiers[0]!, { ...BASE.tiers[2]!, threshold: 500 }] };
    const remap = remapRemoved(BASE, next);
    expect(remap).toEqual({ silver: 'base' });
    expect(decideConfigChange(next, standing('gold'), 0, remap, at, 'UTC')).toMatchObject({ kind: 'keep' });
    expect(decideConfigChange(next, standing('silver'), 120, remap, at, 'UTC')).toMatchObject({ kind: 'change', change: { to: 'base', direction: 'down', reason: 'config_changed' } });
    expect(decideConfigChange(next, standing('silver'), 600, remap, at, 'UTC')).toMatchObject({ kind: 'change', change: { to: 'gold', direction: 'up' } });
    expect(decideConfigChange(BASE, standing(null), 120, {}, at, 'UTC')).toMatchObject({ kind: 'change', change: { from: 'base', to: 'silver', direction: 'up' } });
    expect(decideConfigChange(BASE, standing(null), 50, {}, at, 'UTC')).toEqual({ kind: 'keep', reviewAt: null });
  });

  it('refuses thresholds that do not start at 0 or do not increase, and repeated ids', () => {
    expect(tierConfigErrors(BASE)).toEqual([]);
    const broken: TierConfig = { ...BASE, tiers: [{ ...BASE.tiers[0]!, threshold: 1 }, BASE.tiers[2]!, { ...BASE.tiers[1]!, id: 'gold' }] };
    expect(tierConfigErrors(broken).map((e) => e.field)).toEqual(['/tiers/0/threshold', '/tiers/2/threshold', '/tiers/2/id']);
  });
});

describe('earning and credits', () => {
  it('gives the member’s multiplier, the lowest tier’s to a guest, 1 without tiers', () => {
    expect(earningTier(BASE, 'gold')).toEqual({ tierId: 'gold', tierMultiplier: 2 });
    expect(earningTier(BASE, null)).toEqual({ tierId: 'base', tierMultiplier: 1 });
    expect(earningTier(null, 'gold')).toEqual({ tierId: null, tierMultiplier: 1 });
  });

  it('credits spend in proportion to points, on the cumulative figure, so a full reversal takes back exactly what was credited', () => {
    const order = { awardPoints: 3, awardEligible: 1000 };
    const first = creditOf(order, { points: 0, spend: 0 }, 3);
    expect(first).toEqual({ points: 3, spend: 1000 });
    const one = creditOf(order, first, -1);
    expect(one).toEqual({ points: -1, spend: -334 });
    const rest = creditOf(order, { points: 2, spend: 666 }, -2);
    expect(rest).toEqual({ points: -2, spend: -666 });
  });

  it('says what the next tier takes', () => {
    expect(nextTier(BASE, 0, 40)).toEqual({ id: 'silver', name: 'Silver', threshold: 100, remaining: 60 });
    expect(nextTier(BASE, 1, 500)).toEqual({ id: 'gold', name: 'Gold', threshold: 300, remaining: 0 });
    expect(nextTier(BASE, 2, 0)).toBeNull();
  });
});

describe('a removed tier before the tiers job', () => {
  it('earns at the multiplier of the tier its members are moving to', () => {
    const next: TierConfig = { ...BASE, tiers: [BASE.tiers[0]!, { ...BASE.tiers[1]!, id: 'silver2' }] };
    expect(earningTier(next, 'gold', remapRemoved(BASE, next))).toEqual({ tierId: 'silver2', tierMultiplier: 1.5 });
    expect(earningTier(next, 'gold')).toEqual({ tierId: 'base', tierMultiplier: 1 });
  });
});
