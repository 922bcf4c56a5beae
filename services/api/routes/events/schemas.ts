import { Type } from 'typebox';
import { Birthday, Currency, ExternalId, Money, Timestamp } from '../../schemas.ts';

const Id = ExternalId();
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const Customer = Type.Object({
  id: Nullable(Id),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 320 }))),
  emailVerified: Type.Optional(Type.Boolean()),
  firstName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  lastName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  locale: Type.Optional(Nullable(Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' }))),
  birthday: Type.Optional(Nullable(Birthday)),
  marketingConsent: Type.Optional(Type.Boolean()),
});

/** The fields of an order line; the earning quote (routes/earning) takes the same, `total` and `discount` optional. */
export const ORDER_LINE_FIELDS = {
  id: Id,
  productId: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
  sku: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
  name: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  categories: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 100 })),
  quantity: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  unitPrice: Money(),
  total: Money('quantity × unitPrice, before the line discount'),
  discount: Money('The line’s own discount'),
};

const OrderLine = Type.Object(ORDER_LINE_FIELDS);
/** `customer.upserted`'s customer: an order's, and the customer id of its referrer (D11; an order's customer has none). */
export const UpsertedCustomer = Type.Object({
  ...Customer.properties,
  referredBy: Type.Optional(Nullable(ExternalId({ description: 'Customer id of the referrer; kept once set (D11)' }))),
});

export const Order = Type.Object({
  id: Id,
  number: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
  status: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  customer: Nullable(Customer),
  currency: Currency,
  exchangeRate: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000, description: 'Program currency per order currency unit' }))),
  lines: Type.Array(OrderLine, { maxItems: 1000 }),
  subtotal: Money(),
  discount: Money('Order-level discount not already in the lines'),
  shipping: Money(),
  tax: Money(),
  total: Money('Paid in money, after the part paid with points'),
  pointsRedeemed: Type.Optional(Nullable(Type.Object({ redemptionId: Id, points: Money(), amount: Money() }))),
  placedAt: Timestamp,
});

export const Refund = Type.Object({
  id: Id,
  amount: Money(),
  lines: Type.Optional(Type.Array(Type.Object({ lineId: Id, quantity: Type.Integer({ minimum: 0, maximum: 1_000_000 }), amount: Money() }), { maxItems: 1000 })),
  reason: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
});

const envelope = { id: Id, occurredAt: Timestamp };
const orderTypes = ['order.placed', 'order.paid', 'order.completed', 'order.cancelled'] as const;

/** The data of each event type, validated after the envelope. */
export const DATA_BY_TYPE = {
  'customer.upserted': Type.Object({ customer: UpsertedCustomer }),
  ...Object.fromEntries(orderTypes.map((t) => [t, Type.Object({ order: Order })])),
  'order.refunded': Type.Object({ order: Order, refund: Refund }),
} as Record<string, ReturnType<typeof Type.Object>>;

/** What the route validates first: the envelope; `data` is checked against its type's schema next. */
export const Envelope = Type.Object({ ...envelope, type: Type.String({ maxLength: 64 }), data: Type.Object({}, { additionalProperties: true }) });

/** For the docs: every event the route accepts. */
export const EventBody = Type.Union(
  Object.entries(DATA_BY_TYPE).map(([type, data]) => Type.Object({ ...envelope, type: Type.Literal(type), data }, { title: type })),
);

export const Accepted = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('applied'), Type.Literal('duplicate'), Type.Literal('ignored')]),
});
