/** Inputs and outputs of the pure earning rules (D2, D5, D7, D12). Money in minor units, points whole. */

export interface EarningProgram {
  /** The program's currency (the shop's), ISO 4217. */
  currency: string;
  /** Points per whole currency unit of eligible amount; up to 4 decimals (0.1 = a point per 10 units). */
  pointsPerUnit: number;
  includeShipping: boolean;
  includeTax: boolean;
}

export interface OrderLine {
  id: string;
  productId: string | null;
  sku: string | null;
  categories: string[];
  quantity: number;
  unitPrice: number;
  /** quantity × unitPrice, before the line's own discount. */
  total: number;
  /** The line's own discount. */
  discount: number;
}

export interface EarningOrder {
  id: string;
  currency: string;
  /** Units of program currency per unit of order currency (D1), as given; null when the currencies match. */
  exchangeRate: number | null;
  lines: OrderLine[];
  /** Order-level discount not already in the lines' own discounts; spread over lines in proportion. */
  discount: number;
  shipping: number;
  tax: number;
  /** What the order cost in money, after the part paid with points. */
  total: number;
  /** The part of the order paid with points, in order currency (D7): not eligible. */
  pointsAmount: number;
  placedAt: Date;
}

export interface RuleConditions {
  productIds?: string[];
  skus?: string[];
  categories?: string[];
  /** Minimum order amount (lines after discounts, program currency, minor units). */
  minOrderAmount?: number;
  tiers?: string[];
  firstOrder?: boolean;
}

export interface RuleEffect {
  multiplier?: number;
  bonusPoints?: number;
  per: 'line' | 'order';
}

export interface EarningRule {
  id: string;
  version: number;
  name: string;
  active: boolean;
  startsAt: Date | null;
  endsAt: Date | null;
  conditions: RuleConditions;
  effect: RuleEffect;
  stackable: boolean;
}

export interface EarningContext {
  /** When the award is made (rules' date windows are checked against the order's placedAt). */
  tierId: string | null;
  /** D9; 1 until tiers exist. */
  tierMultiplier: number;
  /** The member has no earlier awarded order. */
  firstOrder: boolean;
}

/** The earning snapshot of one line (D2): later reversals use this, never today's rules. */
export interface LineSnapshot {
  lineId: string;
  productId: string | null;
  quantity: number;
  /** What the line cost in money (order currency), for refunds by amount. */
  paid: number;
  /** Eligible amount of the line in program currency, minor units. */
  eligible: number;
  basePoints: number;
  /** The combined rule × tier multiplier applied, as a decimal string. */
  multiplier: string;
  /** D9: the member's tier when the award was made and its multiplier (part of `multiplier`); absent without tiers. */
  tier?: { id: string; multiplier: string };
  bonusPoints: number;
  points: number;
}

export interface AwardPlan {
  lines: LineSnapshot[];
  points: number;
  eligible: number;
  rulesApplied: { ruleId: string; version: number }[];
}
