import { createHash } from 'node:crypto';
import type { StorefrontEvent } from '../events/event-service.ts';
import type { CustomerData, OrderData, OrderLineData } from '../orders/order-types.ts';
import { validationFailed } from '../common/errors.ts';
import { MAX_AMOUNT, isCurrency, minorDigits } from '../common/money.ts';
import type { WcCustomer, WcLineItem, WcOrder } from './wc-types.ts';

/**
 * WooCommerce's own webhooks as Lojal's storefront events, as pure functions (docs/woocommerce.md). A delivery is
 * the order as it is when sent, with no event id and possibly several changes merged: the transitions are derived
 * from its status, its payment and completion dates and its `refunds`, each under an id made from the order and
 * the transition, so a repeated or late delivery names events already seen, and the core's deduplication by
 * business effect (D3, D5, D15) does the rest, whatever the order of arrival.
 */

/** WooCommerce's paid statuses (`woocommerce_order_is_paid_statuses`) and those that end an order unpaid. */
const PAID = new Set(['processing', 'completed']);
const CANCELLED = new Set(['cancelled', 'failed']);
/** A block checkout's draft is not an order yet. */
const DRAFTS = new Set(['checkout-draft', 'auto-draft']);

const NAME_MAX = 500;
const PERSON_NAME_MAX = 200;

/** The events an order delivery stands for, in the order they happened; none for a draft. Throws validation_failed. */
export function orderEvents(wc: WcOrder): StorefrontEvent[] {
  if (DRAFTS.has(wc.status)) return [];
  const order = toOrderData(wc);
  const created = utc(wc.date_created_gmt, '/date_created_gmt') ?? new Date(order.placedAt);
  const modified = utc(wc.date_modified_gmt, '/date_modified_gmt') ?? created;
  // The dates say what happened even when the status has moved on (a refunded order was paid and completed).
  const paidAt = utc(wc.date_paid_gmt, '/date_paid_gmt') ?? (PAID.has(wc.status) ? modified : null);
  const completedAt = utc(wc.date_completed_gmt, '/date_completed_gmt') ?? (wc.status === 'completed' ? modified : null);
  const id = (transition: string) => `wc-order-${wc.id}-${transition}`;
  const events: StorefrontEvent[] = [];
  const status = (type: 'order.placed' | 'order.paid' | 'order.completed' | 'order.cancelled', transition: string, at: Date) =>
    events.push({ id: id(transition), type, occurredAt: at.toISOString(), data: { order } });
  if (paidAt) status('order.paid', 'paid', paidAt);
  if (completedAt) status('order.completed', 'completed', completedAt);
  if (CANCELLED.has(wc.status)) status('order.cancelled', 'cancelled', modified);
  // D5: each refund id once, oldest first (WooCommerce's ids grow); amount only: the body lists no refunded lines.
  const refunds = [...(wc.refunds ?? [])].sort((a, b) => a.id - b.id);
  refunds.forEach((refund, i) => {
    const amount = Math.abs(money(refund.total, order.currency, `/refunds/${i}/total`, true));
    const reason = text(refund.reason, NAME_MAX);
    events.push({
      id: id(`refund-${refund.id}`),
      type: 'order.refunded',
      occurredAt: modified.toISOString(),
      data: { order, refund: { id: String(refund.id), amount, ...(reason ? { reason } : {}) } },
    });
  });
  if (events.length === 0) status('order.placed', 'placed', created);
  return events;
}

/** The order as Lojal's events carry it (docs/events.md: Order amounts). Throws validation_failed. */
export function toOrderData(wc: WcOrder): OrderData {
  if (!isCurrency(wc.currency)) throw validationFailed([{ field: '/currency', message: 'must be an ISO 4217 currency code' }]);
  const amount = (value: string, field: string) => money(value, wc.currency, field);
  const lines = wc.line_items.map((item, i) => toLine(item, amount, `/line_items/${i}`));
  // A negative fee is a discount on the whole order; a positive one (gift wrap, a payment fee) earns nothing.
  const discount = (wc.fee_lines ?? []).reduce((sum, fee, i) => sum + Math.max(0, -money(fee.total, wc.currency, `/fee_lines/${i}/total`, true)), 0);
  const placedAt = utc(wc.date_created_gmt, '/date_created_gmt');
  if (!placedAt) throw validationFailed([{ field: '/date_created_gmt', message: 'is required' }]);
  return {
    id: String(wc.id),
    number: text(wc.number, 128) ?? String(wc.id),
    status: wc.status,
    customer: orderCustomer(wc),
    currency: wc.currency,
    exchangeRate: null,
    lines,
    subtotal: lines.reduce((sum, line) => sum + line.total - line.discount, 0),
    discount,
    shipping: amount(wc.shipping_total, '/shipping_total'),
    tax: amount(wc.total_tax, '/total_tax'),
    total: amount(wc.total, '/total'),
    pointsRedeemed: null,
    placedAt: placedAt.toISOString(),
  };
}

/** A line: `total` before coupons (WooCommerce's subtotal), its coupons as the line's own discount. */
function toLine(item: WcLineItem, amount: (value: string, field: string) => number, field: string): OrderLineData {
  const before = amount(item.subtotal, `${field}/subtotal`);
  const after = amount(item.total, `${field}/total`);
  const total = Math.max(before, after);
  return {
    id: String(item.id),
    productId: item.product_id ? String(item.product_id) : null,
    sku: text(item.sku, 128),
    name: text(item.name, NAME_MAX),
    quantity: item.quantity,
    unitPrice: item.quantity > 0 ? Math.round(total / item.quantity) : total,
    total,
    discount: total - after,
  };
}

/**
 * D10: a registered customer by its id, its account's e-mail counted as verified (as the OpenCart extension does);
 * a guest (`customer_id` 0) by the billing e-mail, or no one without one.
 */
function orderCustomer(wc: WcOrder): CustomerData | null {
  const email = text(wc.billing?.email, 320);
  const names = { firstName: text(wc.billing?.first_name, PERSON_NAME_MAX), lastName: text(wc.billing?.last_name, PERSON_NAME_MAX) };
  if (wc.customer_id > 0) return { id: String(wc.customer_id), email, emailVerified: true, ...names };
  return email ? { id: null, email, ...names } : null;
}

/**
 * customer.created / customer.updated as `customer.upserted`. The id names the customer, the time WooCommerce
 * last changed it and the profile delivered, so the same delivery twice is one event and any change is a new one.
 */
export function customerEvent(wc: WcCustomer, receivedAt: Date): StorefrontEvent {
  const customer = {
    id: String(wc.id),
    email: text(wc.email, 320),
    emailVerified: true,
    firstName: text(wc.first_name, PERSON_NAME_MAX),
    lastName: text(wc.last_name, PERSON_NAME_MAX),
  };
  const changedAt = utc(wc.date_modified_gmt, '/date_modified_gmt') ?? utc(wc.date_created_gmt, '/date_created_gmt');
  const digest = createHash('sha256').update(JSON.stringify(customer)).digest('base64url').slice(0, 16);
  const version = changedAt ? String(changedAt.getTime() / 1000) : 'undated';
  return {
    id: `wc-customer-${wc.id}-${version}-${digest}`,
    type: 'customer.upserted',
    occurredAt: (changedAt ?? receivedAt).toISOString(),
    data: { customer },
  };
}

/**
 * D1: a decimal string as whole minor units of `currency`, exactly; digits past the currency's are rounded half
 * away from zero (a shop set to show more decimals than its currency has). Throws validation_failed.
 */
export function money(value: string, currency: string, field: string, signed = false): number {
  const match = /^(-?)(\d{1,20})(?:\.(\d{1,20}))?$/.exec(value.trim());
  if (!match) throw validationFailed([{ field, message: 'must be a decimal number such as "12.50"' }]);
  const [, sign, whole, fraction = ''] = match;
  const digits = minorDigits(currency);
  let minor = BigInt(whole! + fraction.slice(0, digits).padEnd(digits, '0'));
  if (fraction.length > digits && fraction.charAt(digits) >= '5') minor += 1n;
  if (minor > BigInt(MAX_AMOUNT)) throw validationFailed([{ field, message: `is more than ${MAX_AMOUNT} minor units` }]);
  if (sign && minor > 0n && !signed) throw validationFailed([{ field, message: 'must not be negative' }]);
  return sign && minor > 0n ? -Number(minor) : Number(minor);
}

/** A WooCommerce `*_gmt` time (UTC, without a zone) as a Date; null when absent. Throws validation_failed. */
function utc(value: string | null | undefined, field: string): Date | null {
  if (!value) return null;
  const at = new Date(/(Z|[+-]\d\d:\d\d)$/i.test(value) ? value : `${value}Z`);
  if (Number.isNaN(at.getTime())) throw validationFailed([{ field, message: 'must be a time such as 2026-11-22T17:51:08' }]);
  return at;
}

/** Text as Lojal keeps it: blank is none, and at most `max` characters. */
function text(value: string | null | undefined, max: number): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  return [...value].slice(0, max).join('');
}
