/**
 * D9 as pure functions: windows, qualification, reviews. No I/O: the service reads the totals and writes what these
 * decide. A member whose `tierId` is null stands on the lowest tier (it never moved).
 *
 * - Upgrade: as soon as the qualifying total of the current window reaches a higher tier's threshold.
 * - Review: a tier above the lowest is looked at when the window that must sustain it has closed and `retainMonths`
 *   have passed (`reviewAt`). calendarYear: the first 1 January (shop's zone) after the tier was reached; rolling12Months:
 *   12 months after it was reached; lifetime: never. The review keeps the tier if the last closed window (calendarYear)
 *   or the current one reached its threshold, else moves down to the tier the best of them reaches (one tier only
 *   with `stepDown`); either way the next review is one window later. Reversals lower the totals, never the tier.
 */
import { addMonths } from '../earning/expiry-rules.ts';
import { localYear, zonedMidnight } from '../common/zoned-time.ts';
import type { TierChange, TierChangeReason, TierConfig, TierDefinition, TierStanding, TierWindowSpan } from './tier-types.ts';

export const MAX_TIERS = 10;

/** Cross-field rules of a configuration the schema cannot say (the schema checks ranges and the number of tiers). */
export function tierConfigErrors(config: TierConfig): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  const [first] = config.tiers;
  if (first && first.threshold !== 0) errors.push({ field: '/tiers/0/threshold', message: 'must be 0: every member stands on the first tier' });
  const ids = new Set<string>();
  config.tiers.forEach((tier, i) => {
    const previous = config.tiers[i - 1];
    if (previous && tier.threshold <= previous.threshold) {
      errors.push({ field: `/tiers/${i}/threshold`, message: `must be greater than the threshold before it (${previous.threshold})` });
    }
    if (ids.has(tier.id)) errors.push({ field: `/tiers/${i}/id`, message: `repeats "${tier.id}"` });
    ids.add(tier.id);
  });
  return errors;
}

/** The tier's position (0 = lowest); a null id is the lowest; -1: no such tier in this configuration. */
export function tierIndex(config: TierConfig, tierId: string | null): number {
  return tierId === null ? 0 : config.tiers.findIndex((t) => t.id === tierId);
}

/**
 * D2/D9: the tier an award made now applies and its multiplier: the member's, the lowest for a guest; none without
 * tiers. A tier the shop has just removed counts as the one its members are moving to (`remap`, until the tiers job).
 */
export function earningTier(config: TierConfig | null, tierId: string | null, remap: Record<string, string> = {}): { tierId: string | null; tierMultiplier: number } {
  if (!config) return { tierId: null, tierMultiplier: 1 };
  const index = tierIndex(config, tierId);
  const tier = config.tiers[index >= 0 ? index : Math.max(tierIndex(config, remap[tierId!] ?? null), 0)]!;
  return { tierId: tier.id, tierMultiplier: tier.multiplier };
}

/** The highest tier whose threshold the total reaches. */
export function tierForTotal(config: TierConfig, total: number): number {
  let index = 0;
  config.tiers.forEach((tier, i) => {
    if (tier.threshold <= total) index = i;
  });
  return index;
}

/** The qualifying window that contains `at`: calendarYear in the shop's zone, the 12 months up to `at`, or all time. */
export function currentWindow(config: TierConfig, at: Date, timeZone: string): TierWindowSpan {
  switch (config.window) {
    case 'calendarYear': {
      const year = localYear(at, timeZone);
      return { start: zonedMidnight(year, 1, 1, timeZone), end: zonedMidnight(year + 1, 1, 1, timeZone) };
    }
    case 'rolling12Months':
      return { start: addMonths(at, -12), end: at };
    default:
      return { start: null, end: null };
  }
}

/** The last closed calendar year before `at` (calendarYear only): the one a review at `at` also looks at. */
export function previousWindow(config: TierConfig, at: Date, timeZone: string): TierWindowSpan | null {
  if (config.window !== 'calendarYear') return null;
  const year = localYear(at, timeZone);
  return { start: zonedMidnight(year - 1, 1, 1, timeZone), end: zonedMidnight(year, 1, 1, timeZone) };
}

/** When a tier reached at `from` is next reviewed: the end of the window that must sustain it plus the grace. */
function reviewFrom(config: TierConfig, from: Date, timeZone: string): Date | null {
  switch (config.window) {
    case 'calendarYear':
      return addMonths(zonedMidnight(localYear(from, timeZone) + 1, 1, 1, timeZone), config.retainMonths);
    case 'rolling12Months':
      return addMonths(from, 12 + config.retainMonths);
    default:
      return null;
  }
}

/** The standing's next review: none on the lowest tier; never before a hand-set tier's hold ends. */
export function nextReview(config: TierConfig, index: number, from: Date, heldUntil: Date | null, timeZone: string): Date | null {
  if (index <= 0) return null;
  const review = reviewFrom(config, from, timeZone);
  if (review === null) return heldUntil;
  return heldUntil && heldUntil > review ? heldUntil : review;
}

/** `fromIndex`: where the member stood (for a removed tier, where it lands at worst: a move there is down). */
function change(config: TierConfig, s: TierStanding, to: number, reason: TierChangeReason, at: Date, timeZone: string, fromIndex: number): TierChange {
  const heldUntil = reason === 'qualified' && s.heldUntil && s.heldUntil > at ? s.heldUntil : null;
  return {
    from: s.tierId ?? config.tiers[0]!.id,
    direction: to > fromIndex ? 'up' : 'down',
    to: config.tiers[to]!.id,
    reason,
    since: at,
    reviewAt: nextReview(config, to, at, heldUntil, timeZone),
    heldUntil,
  };
}

/** After the qualifying total grew (a maturity): an upgrade when it reaches a higher tier, else nothing. */
export function decideUpgrade(config: TierConfig, s: TierStanding, currentTotal: number, at: Date, timeZone: string): TierChange | null {
  const index = tierIndex(config, s.tierId);
  // A tier the shop removed waits for the tiers job's remapping (decideConfigChange).
  if (index < 0) return null;
  const target = tierForTotal(config, currentTotal);
  return target > index ? change(config, s, target, 'qualified', at, timeZone, index) : null;
}

/** What a due review decides: a change, or the same tier with its next review. */
export type ReviewOutcome = { kind: 'change'; change: TierChange } | { kind: 'keep'; reviewAt: Date | null };

/** A review at `at` (`reviewAt` has passed): keep, or down as the best of the closed and current windows allows. */
export function decideReview(
  config: TierConfig,
  s: TierStanding,
  totals: { current: number; previous: number },
  at: Date,
  timeZone: string,
): ReviewOutcome {
  const index = Math.max(tierIndex(config, s.tierId), 0);
  if (s.heldUntil && s.heldUntil > at) return { kind: 'keep', reviewAt: nextReview(config, index, at, s.heldUntil, timeZone) };
  const target = tierForTotal(config, Math.max(totals.current, totals.previous));
  if (target > index) return { kind: 'change', change: change(config, s, target, 'qualified', at, timeZone, index) };
  if (target === index) return { kind: 'keep', reviewAt: nextReview(config, index, at, null, timeZone) };
  const to = config.stepDown ? index - 1 : target;
  return { kind: 'change', change: change(config, s, to, 'window_closed', at, timeZone, index) };
}

/**
 * After the shop changed its tiers: a member on a tier that is gone moves to `remap`'s tier (the highest that
 * remains at or below the old threshold), upgrades happen at once, nobody moves down, and every next review follows
 * the new windows and grace.
 */
export function decideConfigChange(
  config: TierConfig,
  s: TierStanding,
  currentTotal: number,
  remap: Record<string, string>,
  at: Date,
  timeZone: string,
): ReviewOutcome {
  let index = tierIndex(config, s.tierId);
  if (index < 0) index = Math.max(tierIndex(config, remap[s.tierId!] ?? null), 0);
  const target = Math.max(index, tierForTotal(config, currentTotal));
  const stored = tierIndex(config, s.tierId);
  // A removed tier's members land on `index` at worst: a move there is down, anything higher up.
  const fromIndex = stored < 0 ? index + 0.5 : stored;
  if (target !== stored) return { kind: 'change', change: change(config, s, target, 'config_changed', at, timeZone, fromIndex) };
  return { kind: 'keep', reviewAt: nextReview(config, index, s.since ?? at, s.heldUntil, timeZone) };
}

/**
 * For a tier that goes away in a new configuration: the new tier with the highest threshold at or below the old one's
 * (the lowest at worst), so that removing a tier never drops its members further than that.
 */
export function remapRemoved(previous: TierConfig | null, next: TierConfig): Record<string, string> {
  const remap: Record<string, string> = {};
  for (const old of previous?.tiers ?? []) {
    if (tierIndex(next, old.id) >= 0) continue;
    remap[old.id] = next.tiers[tierForTotal(next, old.threshold)]!.id;
  }
  return remap;
}

/** The tier above, and what the member lacks to reach it in the current window; null on the top tier. */
export function nextTier(config: TierConfig, index: number, currentTotal: number): (Pick<TierDefinition, 'id' | 'name' | 'threshold'> & { remaining: number }) | null {
  const next = config.tiers[index + 1];
  if (!next) return null;
  return { id: next.id, name: next.name, threshold: next.threshold, remaining: Math.max(next.threshold - currentTotal, 0) };
}

/**
 * What an order's award adds to (or, on a reversal, takes from) the qualifying totals. Points: the entry's. Spend:
 * the order's eligible amount (program currency) in proportion to the points credited, computed on the order's
 * cumulative credit so rounding never drifts: a full reversal takes back exactly what was credited.
 */
export function creditOf(
  order: { awardPoints: number; awardEligible: number },
  credited: { points: number; spend: number },
  pointsDelta: number,
): { points: number; spend: number } {
  const points = credited.points + pointsDelta;
  const spend = order.awardPoints > 0 ? Number((BigInt(order.awardEligible) * BigInt(Math.max(points, 0))) / BigInt(order.awardPoints)) : 0;
  return { points: pointsDelta, spend: spend - credited.spend };
}
