import { Type } from 'typebox';
import { Currency, ExternalId, Money } from '../../schemas.ts';
import { ORDER_LINE_FIELDS } from '../events/schemas.ts';

/** The most lines one quote takes: a cart, not a catalogue. */
export const QUOTE_MAX_LINES = 200;

/** A line as an order event carries it (routes/events/schemas.ts), `total` and `discount` optional. */
const QuoteLine = Type.Object({
  ...ORDER_LINE_FIELDS,
  total: Type.Optional(Money('quantity × unitPrice (the default), before the line discount')),
  discount: Type.Optional(Money('The line’s own discount; 0 by default')),
});

export const QuoteBody = Type.Object({
  customerId: Type.Optional(ExternalId({ description: 'The member to quote for; absent or unknown: a guest (the lowest tier)' })),
  currency: Type.Optional(Currency),
  lines: Type.Array(QuoteLine, { minItems: 1, maxItems: QUOTE_MAX_LINES }),
  discount: Type.Optional(Money('Order-level discount not already in the lines, spread over them in proportion')),
  shipping: Type.Optional(Money('Shipping, once the checkout knows it: earns only when the program includes shipping')),
  tax: Type.Optional(Money('Tax, once the checkout knows it: earns only when the program includes tax')),
  pointsAmount: Type.Optional(Money('The part of the order paid with points (a hold applied at checkout): earns nothing (D7)')),
});

export const QuoteView = Type.Object({
  points: Type.Integer({ description: 'What the lines would earn now, all told' }),
  lines: Type.Array(Type.Object({ id: Type.String(), points: Type.Integer() }), { description: 'Per line, in the order sent' }),
  tier: Type.Union([Type.Object({ id: Type.String(), multiplier: Type.Number() }), Type.Null()], {
    description: 'The tier whose multiplier applied; null when the shop has no tiers',
  }),
});
