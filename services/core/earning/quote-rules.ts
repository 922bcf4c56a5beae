import { DomainError, validationFailed, type FieldError } from '../common/errors.ts';
import { MAX_AMOUNT } from '../common/money.ts';
import { checkAmounts } from '../orders/order-rules.ts';
import type { OrderData, OrderLineData } from '../orders/order-types.ts';
import type { AwardPlan } from './earning-types.ts';

/**
 * The earning quote (`POST /v1/earning/quote`, docs/earning.md): a cart or a product page as the order it would
 * be, and what that order's award says back. The award itself is decided by orders/order-rules.ts `earningPlan`.
 */

/** An order line as a quote takes it: `total` (quantity × unitPrice when absent) and `discount` (0) optional. */
export type QuoteLine = Omit<OrderLineData, 'total' | 'discount'> & Partial<Pick<OrderLineData, 'total' | 'discount'>>;

export interface QuoteInput {
  customerId?: string;
  /** The program's currency when absent; another is refused (D1: a quote carries no exchange rate). */
  currency?: string;
  lines: QuoteLine[];
  /** Order-level discount not already in the lines' own discounts. */
  discount?: number;
  /** Shipping and tax, once a checkout knows them (0 when absent): they earn only when the program includes them. */
  shipping?: number;
  tax?: number;
  /** The part of the order paid with points (D7: earns nothing), 0 when absent. */
  pointsAmount?: number;
}

export interface EarningQuote {
  points: number;
  lines: { id: string; points: number }[];
  tier: { id: string; multiplier: number } | null;
}

/** The id of the order a quote describes: never stored, never compared with a real order. */
export const QUOTE_ORDER_ID = 'quote';

/**
 * The order a quote describes, placed `now`, in the program's currency, with the shipping, tax and points spent the
 * quote gives (none when absent). Throws currency_mismatch (D1), validation_failed (a line's quantity × unitPrice, or the lines' totals
 * together, past 2^53 − 1).
 */
export function quoteOrder(input: QuoteInput, programCurrency: string, now: Date): OrderData {
  if (input.currency !== undefined && input.currency !== programCurrency) {
    throw new DomainError(
      'currency_mismatch',
      `The quote asks for ${input.currency}, the program is in ${programCurrency}: quote the prices in ${programCurrency}`,
    );
  }
  const errors: FieldError[] = [];
  const lines = input.lines.map((line, i) => {
    const total = line.total ?? line.quantity * line.unitPrice;
    if (line.total === undefined && BigInt(line.quantity) * BigInt(line.unitPrice) > BigInt(MAX_AMOUNT)) {
      errors.push({ field: `/lines/${i}/unitPrice`, message: `quantity × unitPrice is more than ${MAX_AMOUNT}` });
    }
    return { ...line, categories: line.categories ?? [], total, discount: line.discount ?? 0 };
  });
  if (errors.length > 0) throw validationFailed(errors);
  const { discount = 0, shipping = 0, tax = 0, pointsAmount = 0 } = input;
  const subtotal = lines.reduce((sum, l) => sum + Math.max(0, l.total - l.discount), 0);
  const order: OrderData = {
    id: QUOTE_ORDER_ID,
    customer: null,
    currency: programCurrency,
    exchangeRate: null,
    lines,
    subtotal,
    discount,
    shipping,
    tax,
    total: Math.max(0, subtotal - discount + shipping + tax - pointsAmount),
    pointsRedeemed: pointsAmount > 0 ? { redemptionId: QUOTE_ORDER_ID, points: 0, amount: pointsAmount } : null,
    placedAt: now.toISOString(),
  };
  checkAmounts(order, '/lines');
  return order;
}

/** What a quote answers: the award's points, per line in the order sent, and the tier it applied (null: no tiers). */
export function quoteView(plan: AwardPlan, tier: { tierId: string | null; tierMultiplier: number }): EarningQuote {
  return {
    points: plan.points,
    lines: plan.lines.map((l) => ({ id: l.lineId, points: l.points })),
    tier: tier.tierId === null ? null : { id: tier.tierId, multiplier: tier.tierMultiplier },
  };
}
