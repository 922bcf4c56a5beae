import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { encryptSecret } from '../../services/core/common/secrets.ts';
import { newId } from '../../services/core/common/ids.ts';
import { insertWebhookSecret } from '../../services/core/shops/webhook-secret-repo.ts';
import { wcSignature } from '../../services/core/woocommerce/wc-signature.ts';
import type { TestApp } from './app.ts';

/** The real deliveries captured from WooCommerce 11.0.1 (../shared/fixtures/woocommerce/README.md), secret `s3cret`. */
export const FIXTURE_SECRET = 's3cret';
export const FIXTURE_PATH = process.env.WC_FIXTURES ?? '/work/shared/fixtures/woocommerce/deliveries.ndjson';

export interface CapturedDelivery {
  receivedAt: string;
  headers: Record<string, string>;
  rawBody: string;
}

export function capturedDeliveries(): CapturedDelivery[] {
  return readFileSync(FIXTURE_PATH, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
}

/** Gives the shop one more live webhook secret (as a rotation overlap would), e.g. the fixtures' `s3cret`. */
export async function addWebhookSecret(t: TestApp, shopId: string, secret: string): Promise<void> {
  const now = t.container.clock.now();
  await insertWebhookSecret(t.container.database.db, { shopId, id: newId('whs', now.getTime()), secretEnc: encryptSecret(secret, t.config.secretKey), createdAt: now });
}

/** POSTs a delivery as WooCommerce does: its headers, the raw body, signed unless `signature` says otherwise. */
export function deliver(
  app: FastifyInstance,
  shopId: string,
  topic: string,
  body: unknown,
  options: { secret: string; raw?: string; signature?: string | null; remoteAddress?: string; headers?: Record<string, string> },
) {
  const raw = options.raw ?? JSON.stringify(body);
  const signature = options.signature === undefined ? wcSignature(options.secret, raw) : options.signature;
  const [resource, event] = topic.split('.');
  return app.inject({
    method: 'POST',
    url: `/v1/shops/${shopId}/woocommerce`,
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
    headers: {
      'user-agent': 'WooCommerce/11.0.1 Hookshot (WordPress/7.0.4)',
      'content-type': 'application/json',
      'x-wc-webhook-source': 'http://127.0.0.1:8081/',
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-resource': resource ?? '',
      'x-wc-webhook-event': event ?? '',
      'x-wc-webhook-id': '1',
      'x-wc-webhook-delivery-id': Math.random().toString(16).slice(2),
      ...(signature === null ? {} : { 'x-wc-webhook-signature': signature }),
      ...options.headers,
    },
    payload: raw,
  });
}

/** The ping WooCommerce sends when a webhook is created. */
export function ping(app: FastifyInstance, shopId: string, webhookId = 1, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: `/v1/shops/${shopId}/woocommerce`,
    headers: { 'user-agent': 'WooCommerce/11.0.1 Hookshot (WordPress/7.0.4)', 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: `webhook_id=${webhookId}`,
  });
}

export interface WcLineSpec {
  id: number;
  productId: number;
  sku?: string;
  name?: string;
  quantity: number;
  subtotal: string;
  total: string;
}

export interface WcOrderSpec {
  id: number;
  status: string;
  customerId?: number;
  email?: string;
  lines: WcLineSpec[];
  shipping?: string;
  tax?: string;
  total: string;
  fees?: { id: number; total: string }[];
  coupons?: { id: number; code: string; discount: string }[];
  refunds?: { id: number; total: string; reason?: string }[];
  created: string;
  modified: string;
  paid?: string | null;
  completed?: string | null;
  currency?: string;
}

/** A REST v3 order as WooCommerce 11 delivers it (the fields of the captured ones), at one moment of its life. */
export function wcOrder(spec: WcOrderSpec) {
  const local = (gmt: string | null | undefined) => gmt ?? null;
  return {
    id: spec.id, parent_id: 0, status: spec.status, currency: spec.currency ?? 'USD', version: '11.0.1', prices_include_tax: false,
    date_created: spec.created, date_modified: spec.modified,
    discount_total: (spec.coupons ?? []).reduce((s, c) => s + Number(c.discount), 0).toFixed(2), discount_tax: '0.00',
    shipping_total: spec.shipping ?? '0.00', shipping_tax: '0.00', cart_tax: spec.tax ?? '0.00', total: spec.total, total_tax: spec.tax ?? '0.00',
    customer_id: spec.customerId ?? 0, order_key: `wc_order_${spec.id}`,
    billing: { first_name: 'Fay', last_name: 'Hpos', company: '', address_1: '6 Api Way', address_2: '', city: 'Berlin', state: 'CA', postcode: '10115', country: 'DE', email: spec.email ?? '', phone: '5550005' },
    shipping: { first_name: 'Fay', last_name: 'Hpos', company: '', address_1: '6 Api Way', address_2: '', city: 'Berlin', state: 'CA', postcode: '10115', country: 'DE', phone: '' },
    payment_method: 'cod', payment_method_title: 'Cash on delivery', transaction_id: '', customer_ip_address: '127.0.0.1', customer_user_agent: 'curl/7.88.1',
    created_via: 'store-api', customer_note: '', date_completed: local(spec.completed), date_paid: local(spec.paid), cart_hash: 'b0c279b9', number: String(spec.id),
    meta_data: [{ id: 10, key: '_shipping_hash', value: '64656d37' }],
    line_items: spec.lines.map((l) => ({
      id: l.id, name: l.name ?? `Product ${l.productId}`, product_id: l.productId, variation_id: 0, quantity: l.quantity, tax_class: '',
      subtotal: l.subtotal, subtotal_tax: '0.00', total: l.total, total_tax: '0.00', taxes: [], meta_data: [], sku: l.sku ?? '',
      global_unique_id: '', price: Number(l.total) / l.quantity, image: { id: '', src: '' }, parent_name: null,
    })),
    tax_lines: [], shipping_lines: spec.shipping ? [{ id: 900, method_title: 'Flat rate', method_id: 'flat_rate', total: spec.shipping, total_tax: '0.00' }] : [],
    fee_lines: (spec.fees ?? []).map((f) => ({ id: f.id, name: 'Fee', tax_class: '', tax_status: 'none', total: f.total, total_tax: '0.00', taxes: [], meta_data: [] })),
    coupon_lines: (spec.coupons ?? []).map((c) => ({ id: c.id, code: c.code, discount: c.discount, discount_tax: '0.00', meta_data: [] })),
    refunds: [...(spec.refunds ?? [])].sort((a, b) => b.id - a.id).map((r) => ({ id: r.id, reason: r.reason ?? '', total: r.total, total_tax: '0.00' })),
    payment_url: `http://127.0.0.1:8081/?page_id=7&order-pay=${spec.id}`, is_editable: false, needs_payment: false, needs_processing: true,
    date_created_gmt: spec.created, date_modified_gmt: spec.modified, date_completed_gmt: local(spec.completed), date_paid_gmt: local(spec.paid),
    currency_symbol: '$', _links: { self: [{ href: `http://127.0.0.1:8081/index.php?rest_route=/wc/v3/orders/${spec.id}` }] },
  };
}

/** A REST v3 customer as customer.created delivers it. */
export function wcCustomer(id: number, email: string, modified = '2026-11-20T09:00:00') {
  return {
    id, date_created: modified, date_created_gmt: modified, date_modified: modified, date_modified_gmt: modified, email,
    first_name: 'Ana', last_name: 'Nowak', role: 'customer', username: email.split('@')[0],
    billing: { first_name: 'Ana', last_name: 'Nowak', email }, shipping: {}, is_paying_customer: false,
    avatar_url: 'https://secure.gravatar.com/avatar/0', meta_data: [], _links: {},
  };
}
