/**
 * Pure earning and reversal rules (D2, D5, D7, D12). Integers only on the way to a balance: decimal settings
 * (points per unit, multipliers, exchange rates) become exact fractions of BigInts before they touch an amount.
 */
import { minorDigits } from '../common/money.ts';
import type { AwardPlan, EarningContext, EarningOrder, EarningProgram, EarningRule, LineSnapshot, OrderLine } from './earning-types.ts';

interface Fraction {
  num: bigint;
  den: bigint;
}

const SCALE = 1_000_000n;
const ONE: Fraction = { num: 1n, den: 1n };

/** A decimal setting as an exact fraction (6 decimals at most; settings are validated to fewer). */
export function fraction(value: number): Fraction {
  return { num: BigInt(Math.round(value * Number(SCALE))), den: SCALE };
}

function times(a: Fraction, b: Fraction): Fraction {
  return { num: a.num * b.num, den: a.den * b.den };
}

function floorOf(amount: number, f: Fraction): number {
  return Number((BigInt(amount) * f.num) / f.den);
}

function decimalString(f: Fraction): string {
  const scaled = (f.num * SCALE) / f.den;
  const whole = scaled / SCALE;
  const rest = (scaled % SCALE).toString().padStart(6, '0').replace(/0+$/, '');
  return rest ? `${whole}.${rest}` : `${whole}`;
}

/**
 * Splits `amount` over `weights` in proportion, in whole units, the remainders going to the largest fractional
 * parts (ties to the earlier weight): the parts always add up to `amount` exactly.
 */
export function allocate(amount: number, weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (amount === 0 || total === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (BigInt(amount) * BigInt(w)) / BigInt(total));
  const remainders = weights.map((w, i) => ({ i, r: (BigInt(amount) * BigInt(w)) % BigInt(total) }));
  let left = amount - exact.reduce((a, b) => a + Number(b), 0);
  const parts = exact.map(Number);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

interface EarningLine {
  line: OrderLine | null; // null: shipping
  lineId: string;
  quantity: number;
  /** What the customer paid for the line in money, order currency (for refunds by amount). */
  paid: number;
  eligibleOrderCurrency: number;
}

/**
 * D2: the eligible amount of every line, in order currency, after line and order discounts and the part paid with
 * points; tax and shipping only when the program says so. `paid` is what the line cost in money (tax included,
 * points excluded): the basis for refunds by amount (D5).
 */
export function eligibleLines(order: EarningOrder, program: EarningProgram): EarningLine[] {
  const nets = order.lines.map((l) => Math.max(0, l.total - l.discount));
  const orderDiscounts = allocate(Math.min(order.discount, sum(nets)), nets);
  const afterDiscount = nets.map((n, i) => n - orderDiscounts[i]!);
  const taxes = allocate(order.tax, afterDiscount);
  const lines: EarningLine[] = order.lines.map((line, i) => ({
    line,
    lineId: line.id,
    quantity: line.quantity,
    paid: afterDiscount[i]! + taxes[i]!,
    eligibleOrderCurrency: afterDiscount[i]! + (program.includeTax ? taxes[i]! : 0),
  }));
  if (program.includeShipping && order.shipping > 0) {
    lines.push({ line: null, lineId: 'shipping', quantity: 1, paid: order.shipping, eligibleOrderCurrency: order.shipping });
  }
  // D7: the part paid with points earns nothing, and is no money to refund.
  const weights = lines.map((l) => l.eligibleOrderCurrency);
  const pointsShare = allocate(Math.min(order.pointsAmount, sum(weights)), weights);
  return lines.map((l, i) => ({
    ...l,
    paid: Math.max(0, l.paid - pointsShare[i]!),
    eligibleOrderCurrency: l.eligibleOrderCurrency - pointsShare[i]!,
  }));
}

/** D1: an amount in order currency as program currency, rounded down, with both currencies' minor units. */
export function toProgramCurrency(amount: number, order: EarningOrder, program: EarningProgram): number {
  if (order.currency === program.currency || order.exchangeRate === null) return amount;
  const rate = fraction(order.exchangeRate);
  const shift = minorDigits(program.currency) - minorDigits(order.currency);
  const scale = 10n ** BigInt(Math.abs(shift));
  const f = shift >= 0 ? { num: rate.num * scale, den: rate.den } : { num: rate.num, den: rate.den * scale };
  return floorOf(amount, f);
}

function ruleLive(rule: EarningRule, at: Date): boolean {
  return rule.active && (!rule.startsAt || rule.startsAt <= at) && (!rule.endsAt || at < rule.endsAt);
}

function ruleMatchesOrder(rule: EarningRule, productEligible: number, ctx: EarningContext): boolean {
  const c = rule.conditions;
  if (c.minOrderAmount !== undefined && productEligible < c.minOrderAmount) return false;
  if (c.tiers && c.tiers.length > 0 && (!ctx.tierId || !c.tiers.includes(ctx.tierId))) return false;
  if (c.firstOrder === true && !ctx.firstOrder) return false;
  return true;
}

function ruleMatchesLine(rule: EarningRule, line: OrderLine): boolean {
  const c = rule.conditions;
  const restricted = Boolean(c.productIds?.length || c.skus?.length || c.categories?.length);
  if (!restricted) return true;
  return Boolean(
    (line.productId !== null && c.productIds?.includes(line.productId)) ||
      (line.sku !== null && c.skus?.includes(line.sku)) ||
      line.categories.some((cat) => c.categories?.includes(cat)),
  );
}

/**
 * D2 + D12 + D9: the award for an order. Per line: base = floor(eligible × pointsPerUnit / 10^minorDigits); the
 * highest matching non-stackable multiplier times every stackable one times the tier's; floored; plus bonuses
 * (per line, or per order spread over the matching lines in proportion to their eligible amounts).
 */
export function computeAward(order: EarningOrder, program: EarningProgram, rules: EarningRule[], ctx: EarningContext): AwardPlan {
  const ppu = fraction(program.pointsPerUnit);
  const unit = 10n ** BigInt(minorDigits(program.currency));
  const lines = eligibleLines(order, program).map((l) => ({ ...l, eligible: toProgramCurrency(l.eligibleOrderCurrency, order, program) }));
  const productEligible = sum(lines.filter((l) => l.line !== null).map((l) => l.eligible));
  const live = rules.filter((r) => ruleLive(r, order.placedAt) && ruleMatchesOrder(r, productEligible, ctx));
  const applied = new Map<string, number>();
  const tier = fraction(ctx.tierMultiplier);

  const snapshots: LineSnapshot[] = lines.map((l) => {
    const matching = l.line ? live.filter((r) => ruleMatchesLine(r, l.line!)) : [];
    const multiplied = matching.filter((r) => r.effect.multiplier !== undefined);
    const exclusive = multiplied.filter((r) => !r.stackable);
    const best = exclusive.reduce<EarningRule | null>((top, r) => (!top || r.effect.multiplier! > top.effect.multiplier! ? r : top), null);
    let multiplier = best ? fraction(best.effect.multiplier!) : ONE;
    for (const r of multiplied.filter((r) => r.stackable)) multiplier = times(multiplier, fraction(r.effect.multiplier!));
    for (const r of [...(best ? [best] : []), ...multiplied.filter((r) => r.stackable)]) applied.set(r.id, r.version);
    const lineBonuses = matching.filter((r) => r.effect.per === 'line' && r.effect.bonusPoints);
    for (const r of lineBonuses) applied.set(r.id, r.version);
    const combined = times(multiplier, tier);
    const basePoints = Number((BigInt(l.eligible) * ppu.num) / (ppu.den * unit));
    const bonusPoints = sum(lineBonuses.map((r) => r.effect.bonusPoints!));
    return {
      lineId: l.lineId,
      productId: l.line?.productId ?? null,
      quantity: l.quantity,
      paid: l.paid,
      eligible: l.eligible,
      basePoints,
      multiplier: decimalString(combined),
      ...(ctx.tierId !== null ? { tier: { id: ctx.tierId, multiplier: decimalString(tier) } } : {}),
      bonusPoints,
      points: floorOf(basePoints, combined) + bonusPoints,
    };
  });

  for (const rule of live.filter((r) => r.effect.per === 'order' && r.effect.bonusPoints)) {
    const targets = snapshots.map((s, i) => (lines[i]!.line && ruleMatchesLine(rule, lines[i]!.line!) ? Math.max(s.eligible, 1) : 0));
    if (sum(targets) === 0) continue;
    allocate(rule.effect.bonusPoints!, targets).forEach((bonus, i) => {
      snapshots[i]!.bonusPoints += bonus;
      snapshots[i]!.points += bonus;
    });
    applied.set(rule.id, rule.version);
  }

  return {
    lines: snapshots,
    points: sum(snapshots.map((s) => s.points)),
    eligible: sum(snapshots.map((s) => s.eligible)),
    rulesApplied: [...applied].map(([ruleId, version]) => ({ ruleId, version })).sort((a, b) => a.ruleId.localeCompare(b.ruleId)),
  };
}

export interface RefundFacts {
  /** Per line, the quantity and the money refunded so far, over every refund of the order. */
  lines: Map<string, { quantity: number; amount: number }>;
  /** Money refunded so far by refunds that named no lines. */
  amountOnly: number;
}

/**
 * D5: how many of the award's points all refunds so far take back. Lines: each line's snapshot points in
 * proportion to the quantity refunded (or, without a quantity, the money). Amount only: the award in proportion
 * to the money paid for what earned it (`paidTotal`: the lines' `paid`). Cumulative and capped, so the sum never
 * passes the award and a full refund is exactly it.
 */
export function reversalTarget(lines: LineSnapshot[], paidTotal: number, awardPoints: number, refunds: RefundFacts): number {
  let target = 0;
  for (const snap of lines) {
    const refunded = refunds.lines.get(snap.lineId);
    if (!refunded) continue;
    const share =
      refunded.quantity > 0
        ? { num: BigInt(Math.min(refunded.quantity, snap.quantity)), den: BigInt(Math.max(snap.quantity, 1)) }
        : { num: BigInt(Math.min(refunded.amount, snap.paid)), den: BigInt(Math.max(snap.paid, 1)) };
    target += Number((BigInt(snap.points) * share.num) / share.den);
  }
  if (refunds.amountOnly > 0) {
    const paid = Math.max(paidTotal, 1);
    target += Number((BigInt(awardPoints) * BigInt(Math.min(refunds.amountOnly, paid))) / BigInt(paid));
  }
  return Math.min(target, awardPoints);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
