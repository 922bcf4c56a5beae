/** D9: a shop's tiers, as `GET|PUT /v1/tiers` show them. */

export type TierBasis = 'points' | 'spend';
export type TierWindow = 'rolling12Months' | 'calendarYear' | 'lifetime';
export type TierChangeReason = 'qualified' | 'window_closed' | 'config_changed' | 'manual';

export interface TierDefinition {
  id: string;
  name: string;
  /** Qualifying points, or money in minor units of the program's currency (basis `spend`). The first is 0. */
  threshold: number;
  /** The earning multiplier (1–10, at most two decimals), applied to base points at award time (D2). */
  multiplier: number;
  benefits: string[];
}

export interface TierConfig {
  basis: TierBasis;
  window: TierWindow;
  /** Months of grace after a window closes below the threshold before the downgrade. */
  retainMonths: number;
  /** Down one tier at a time, whatever the total. */
  stepDown: boolean;
  /** Lowest first; thresholds strictly increasing. */
  tiers: TierDefinition[];
}

/** A window of qualifying activity: [start, end); a null start is the beginning of time, a null end is open. */
export interface TierWindowSpan {
  start: Date | null;
  end: Date | null;
}

/** A member's tier as stored (members.tier_*), with the totals the decisions need. */
export interface TierStanding {
  /** null: the lowest tier, implicitly (a member never moved). */
  tierId: string | null;
  since: Date | null;
  reviewAt: Date | null;
  heldUntil: Date | null;
}

/** A change the tier rules decide; `reviewAt` the new standing's next review. */
export interface TierChange {
  /** The tier left: a lowest-tier member who never moved leaves the lowest tier; a removed tier is named by its id. */
  from: string;
  direction: 'up' | 'down';
  to: string;
  reason: TierChangeReason;
  since: Date;
  reviewAt: Date | null;
  heldUntil: Date | null;
}
