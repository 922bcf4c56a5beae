import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { signatureHeader } from '../../services/core/events/signature.ts';
import type { TestShop } from './app.ts';

export interface LineSpec {
  id?: string;
  productId?: string;
  sku?: string;
  categories?: string[];
  quantity?: number;
  unitPrice: number;
  discount?: number;
}

/** An order payload as docs/events.md shows it; amounts in minor units. */
export function order(id: string, options: {
  customerId?: string | null;
  email?: string | null;
  lines?: LineSpec[];
  currency?: string;
  exchangeRate?: number | null;
  discount?: number;
  shipping?: number;
  tax?: number;
  pointsAmount?: number;
  placedAt?: string;
} = {}) {
  const lines = (options.lines ?? [{ unitPrice: 10_000 }]).map((l, i) => {
    const quantity = l.quantity ?? 1;
    return {
      id: l.id ?? String(i + 1),
      productId: l.productId ?? `p${i + 1}`,
      sku: l.sku ?? `SKU-${i + 1}`,
      name: `Product ${i + 1}`,
      categories: l.categories ?? [],
      quantity,
      unitPrice: l.unitPrice,
      total: quantity * l.unitPrice,
      discount: l.discount ?? 0,
    };
  });
  const subtotal = lines.reduce((s, l) => s + l.total - l.discount, 0);
  const shipping = options.shipping ?? 0;
  const tax = options.tax ?? 0;
  const discount = options.discount ?? 0;
  const pointsAmount = options.pointsAmount ?? 0;
  const customerId = options.customerId === undefined ? 'c1' : options.customerId;
  return {
    id,
    number: id,
    status: 'complete',
    customer: customerId === null && !options.email ? null : { id: customerId, email: options.email ?? `${customerId ?? 'guest'}@example.com`, emailVerified: true },
    currency: options.currency ?? 'PLN',
    exchangeRate: options.exchangeRate ?? null,
    lines,
    subtotal,
    discount,
    shipping,
    tax,
    total: subtotal - discount + shipping + tax - pointsAmount,
    pointsRedeemed: pointsAmount > 0 ? { redemptionId: 'red_test', points: pointsAmount, amount: pointsAmount } : null,
    placedAt: options.placedAt ?? '2026-11-20T10:00:00Z',
  };
}

export function envelope(type: string, data: Record<string, unknown>, occurredAt = '2026-11-20T10:00:00Z', id: string = randomUUID()) {
  return { id, type, occurredAt, data };
}

/** POSTs an event with a real `Lojal-Signature` over the exact bytes sent. */
export function sendEvent(
  app: FastifyInstance,
  shop: TestShop,
  event: unknown,
  options: { secret?: string; t?: number; raw?: string; signature?: string | null; headers?: Record<string, string> } = {},
) {
  const raw = options.raw ?? JSON.stringify(event);
  const t = options.t ?? Math.floor(Date.now() / 1000);
  const signature = options.signature === undefined ? signatureHeader(options.secret ?? shop.webhookSecret, raw, t) : options.signature;
  return app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: { ...options.headers, ...shop.auth, 'content-type': 'application/json', ...(signature === null ? {} : { 'lojal-signature': signature }) },
    payload: raw,
  });
}
