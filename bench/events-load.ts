/**
 * The events benchmark's load: signed `order.completed` bodies made before the clock starts, sent over HTTP by
 * autocannon, with every answer counted in the second it arrived (so a long run can report its last 30 s).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { signatureHeader } from '../services/core/events/signature.ts';
import { percentile } from './lib.ts';

export interface LoadOptions {
  base: string;
  apiKey: string;
  webhookSecret: string;
  connections: number;
  customers: number;
  /** Bodies signed in advance; past them the rest are signed as they go (slower, never stuck). */
  presigned: number;
}

export interface Window {
  seconds: number;
  accepted: number;
  perSecond: number;
  non2xx: number;
  p50: number;
  p99: number;
  max: number;
}

/** A customer for the n-th event: a fixed pseudo-random walk over `customers`, so most early orders are someone's first. */
function customerOf(n: number, customers: number): number {
  return Number((BigInt(n) * 2_654_435_761n + 12_345n) % BigInt(customers));
}

export function orderEvent(n: number, customers: number) {
  const c = customerOf(n, customers);
  const lines = [
    { id: '1', productId: `p${n % 50}`, sku: `SKU-${n % 50}`, name: 'Item', categories: ['c'], quantity: 1 + (n % 3), unitPrice: 4_990, total: (1 + (n % 3)) * 4_990, discount: 0 },
    { id: '2', productId: 'p-x', sku: 'SKU-X', name: 'Other', categories: [], quantity: 1, unitPrice: 1_500, total: 1_500, discount: 0 },
  ];
  const subtotal = lines.reduce((s, l) => s + l.total, 0);
  return {
    id: randomUUID(),
    type: 'order.completed',
    occurredAt: new Date().toISOString(),
    data: {
      order: {
        id: `o-${n}-${randomBytes(4).toString('hex')}`,
        number: String(n),
        status: 'complete',
        customer: { id: `c-${c}`, email: `c${c}@example.com`, emailVerified: true },
        currency: 'PLN',
        exchangeRate: null,
        lines,
        subtotal,
        discount: 0,
        shipping: 1_500,
        tax: 0,
        total: subtotal + 1_500,
        pointsRedeemed: null,
        placedAt: new Date().toISOString(),
      },
    },
  };
}

export function createLoad(options: LoadOptions) {
  // Signed before the clock starts: the load generator shares the two cores with the API and PostgreSQL, and
  // should spend them on HTTP, not on building and signing bodies (pgbench's client is C).
  const signedAt = Math.floor(Date.now() / 1000);
  const signed = (i: number) => {
    const body = JSON.stringify(orderEvent(i, options.customers));
    return { body, signature: signatureHeader(options.webhookSecret, body, signedAt) };
  };
  const bodies = Array.from({ length: options.presigned }, (_, i) => signed(i));
  let signedLate = 0;
  let n = 0;

  /** Sends for `duration` s (or `amount` requests); returns each second's answers (status, latency). */
  async function send(limit: { duration: number } | { amount: number }) {
    const seconds: { ok: number; other: number; latencies: number[] }[] = [];
    const started = Date.now();
    let instance!: autocannon.Instance;
    const finished = new Promise<autocannon.Result>((resolve, reject) => {
      instance = autocannon({
      url: `${options.base}/v1/events`,
      connections: options.connections,
      ...limit,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => {
            const next = bodies[n] ?? (signedLate++, signed(n));
            n++;
            return {
              ...request,
              body: next.body,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}`, 'lojal-signature': next.signature },
            };
          },
        },
      ],
    }, (error, result) => (error ? reject(error) : resolve(result)));
    });
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      const s = Math.floor((Date.now() - started) / 1000);
      const bucket = (seconds[s] ??= { ok: 0, other: 0, latencies: [] });
      if (statusCode >= 200 && statusCode < 300) bucket.ok++;
      else bucket.other++;
      bucket.latencies.push(responseTime);
    });
    const result = await finished;
    return { result, seconds };
  }

  return { send, signedLate: () => signedLate };
}

/** The answers of seconds [from, to) of a run, as one window. */
export function windowOf(seconds: { ok: number; other: number; latencies: number[] }[], from: number, to: number): Window {
  const span = seconds.slice(from, to).map((s) => s ?? { ok: 0, other: 0, latencies: [] });
  const latencies = span.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const accepted = span.reduce((sum, s) => sum + s.ok, 0);
  const length = Math.max(1, to - from);
  return {
    seconds: length,
    accepted,
    perSecond: Math.round(accepted / length),
    non2xx: span.reduce((sum, s) => sum + s.other, 0),
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
    max: Math.round(latencies[latencies.length - 1] ?? 0),
  };
}
