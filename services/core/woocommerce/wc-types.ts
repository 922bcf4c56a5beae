/**
 * WooCommerce's own webhook bodies (REST API v3 resources, as WooCommerce builds them at delivery time), as far as
 * Lojal reads them; the route's schemas (api/routes/woocommerce/schemas.ts) check them first. Money is a decimal
 * string in the order's currency, times are `YYYY-MM-DDTHH:MM:SS` in UTC (`*_gmt`), ids are integers.
 */

export interface WcLineItem {
  id: number;
  name?: string | null;
  product_id?: number | null;
  variation_id?: number | null;
  sku?: string | null;
  quantity: number;
  /** Before coupons, tax excluded. */
  subtotal: string;
  /** After coupons, tax excluded. */
  total: string;
}

export interface WcRefundRef {
  id: number;
  /** Negative: `"-10.00"`. */
  total: string;
  reason?: string | null;
}

export interface WcOrder {
  id: number;
  number?: string | null;
  status: string;
  currency: string;
  date_created_gmt: string;
  date_modified_gmt?: string | null;
  date_paid_gmt?: string | null;
  date_completed_gmt?: string | null;
  /** 0: a guest, known by the billing e-mail. */
  customer_id: number;
  billing?: { email?: string | null; first_name?: string | null; last_name?: string | null } | null;
  line_items: WcLineItem[];
  fee_lines?: { id: number; total: string }[];
  shipping_total: string;
  total_tax: string;
  total: string;
  refunds?: WcRefundRef[];
}

export interface WcCustomer {
  id: number;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  date_created_gmt?: string | null;
  date_modified_gmt?: string | null;
}

/** What a topic asks of Lojal: an order's transitions, a customer's profile, or nothing. */
export type WcTopicKind = 'order' | 'customer' | 'ignored';

const TOPICS: Record<string, WcTopicKind> = {
  'order.created': 'order',
  'order.updated': 'order',
  // Trashing is undone by order.restored; the body holds only the id (docs/woocommerce.md: not a cancellation).
  'order.deleted': 'ignored',
  'order.restored': 'ignored',
  'customer.created': 'customer',
  'customer.updated': 'customer',
  // D19: erasing a member is the shop's explicit call (DELETE /v1/members/{id}), not a side effect of a user deleted.
  'customer.deleted': 'ignored',
};

/** The topic's kind; a topic Lojal does not read (products, coupons, actions) is answered `ignored`. */
export function topicKind(topic: string): WcTopicKind {
  return TOPICS[topic] ?? 'ignored';
}
