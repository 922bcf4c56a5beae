import { Type } from 'typebox';
import { MAX_AMOUNT } from '../../../core/common/money.ts';
import { Currency } from '../../schemas.ts';

/**
 * WooCommerce's own webhook bodies (REST API v3 resources), as far as Lojal reads them: the fields named here are
 * checked, every other field WooCommerce sends is let be.
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const WcId = Type.Integer({ minimum: 1, maximum: MAX_AMOUNT });
const Decimal = Type.String({ pattern: '^-?[0-9]{1,20}(\\.[0-9]{1,20})?$', description: 'Money as WooCommerce sends it: "12.50"' });
const WcTime = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}', description: 'UTC, as the *_gmt fields' });
const Text = (maxLength: number) => Type.Optional(Nullable(Type.String({ maxLength })));

const LineItem = Type.Object({
  id: WcId,
  name: Text(10_000),
  product_id: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: MAX_AMOUNT }))),
  variation_id: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: MAX_AMOUNT }))),
  sku: Text(10_000),
  quantity: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  subtotal: Decimal,
  total: Decimal,
});

export const WcOrder = Type.Object(
  {
    id: WcId,
    number: Text(10_000),
    status: Type.String({ minLength: 1, maxLength: 64 }),
    currency: Currency,
    date_created_gmt: WcTime,
    date_modified_gmt: Type.Optional(Nullable(WcTime)),
    date_paid_gmt: Type.Optional(Nullable(WcTime)),
    date_completed_gmt: Type.Optional(Nullable(WcTime)),
    customer_id: Type.Integer({ minimum: 0, maximum: MAX_AMOUNT }),
    billing: Type.Optional(Nullable(Type.Object({ email: Text(320), first_name: Text(10_000), last_name: Text(10_000) }))),
    line_items: Type.Array(LineItem, { maxItems: 1000 }),
    fee_lines: Type.Optional(Type.Array(Type.Object({ id: WcId, total: Decimal }), { maxItems: 1000 })),
    shipping_total: Decimal,
    total_tax: Decimal,
    total: Decimal,
    refunds: Type.Optional(Type.Array(Type.Object({ id: WcId, total: Decimal, reason: Text(10_000) }), { maxItems: 1000 })),
  },
  { title: 'order.created, order.updated: the order', additionalProperties: true },
);

export const WcCustomer = Type.Object(
  {
    id: WcId,
    email: Text(320),
    first_name: Text(10_000),
    last_name: Text(10_000),
    date_created_gmt: Type.Optional(Nullable(WcTime)),
    date_modified_gmt: Type.Optional(Nullable(WcTime)),
  },
  { title: 'customer.created, customer.updated: the customer', additionalProperties: true },
);

const Deleted = Type.Object({ id: Type.Integer() }, { title: 'order.deleted and other topics: ignored', additionalProperties: true });

/** For the docs: the JSON bodies the route reads, and the creation ping. */
export const WcBody = {
  content: {
    'application/json': { schema: Type.Union([WcOrder, WcCustomer, Deleted]) },
    'application/x-www-form-urlencoded': {
      schema: Type.Object({ webhook_id: Type.String({ pattern: '^[0-9]+$' }) }, { title: 'The ping sent when a webhook is created' }),
    },
  },
};

const Status = Type.Union([Type.Literal('applied'), Type.Literal('duplicate'), Type.Literal('ignored')]);

export const WcAccepted = Type.Object({
  status: Type.Union([Status, Type.Literal('ping')], {
    description: 'applied: an event changed something; duplicate: everything was seen; ignored: nothing to do; ping: the creation ping',
  }),
  events: Type.Array(
    Type.Object({ id: Type.String(), type: Type.String(), status: Status }),
    { description: 'The Lojal events the delivery stood for, each with its outcome (docs/events.md)' },
  ),
});
