import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress, isPrivateHost } from './webhook-address.ts';

/**
 * D16: one HTTP attempt of an outbound webhook: a POST of the stored body, bounded by a timeout, redirects not
 * followed (a 3xx is a failure: the shop's URL is the one it set), and unless `allowPrivate`, never to an address of
 * the operator's own network (webhook-address.ts), checked on the addresses the connection actually uses. Never
 * throws; never keeps the response body.
 */

export const USER_AGENT = 'Lojal-Webhooks/1';
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE: private, loopback and link-local addresses may be reached. */
  allowPrivate: boolean;
}

export type SendResult = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

const PRIVATE_ADDRESS = 'EPRIVATEADDRESS';

export function sendWebhook({ url, body, headers, timeoutMs, allowPrivate }: WebhookRequest): Promise<SendResult> {
  const target = new URL(url);
  if (!allowPrivate && isPrivateHost(target.hostname)) {
    return Promise.resolve({ ok: false, statusCode: null, error: `the request failed: ${PRIVATE_ADDRESS} (${target.hostname} is not public)` });
  }
  return new Promise((resolve) => {
    let timedOut = false;
    const request = (target.protocol === 'https:' ? https : http).request(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': USER_AGENT, ...headers },
      agent: false,
      ...(allowPrivate ? {} : { lookup: publicOnly }),
    });
    const timer = setTimeout(() => {
      timedOut = true;
      // With an error, destroy() always ends in 'error' (below), whatever state the request is in.
      request.destroy(new Error('timeout'));
    }, timeoutMs);
    request.on('response', (response) => {
      // The body is not read: nothing of it is kept, and a receiver that streams forever must not hold the attempt.
      response.destroy();
      clearTimeout(timer);
      resolve(resultOf(response.statusCode ?? 0));
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      if (timedOut) resolve({ ok: false, statusCode: null, error: `no answer within ${timeoutMs} ms` });
      else resolve({ ok: false, statusCode: null, error: `the request failed: ${reasonOf(error)}` });
    });
    request.end(body);
  });
}

function resultOf(statusCode: number): SendResult {
  if (statusCode >= 200 && statusCode < 300) return { ok: true, statusCode };
  const why = statusCode >= 300 && statusCode < 400 ? 'a redirect, not followed' : 'not 2xx';
  return { ok: false, statusCode, error: `the endpoint answered ${statusCode} (${why})` };
}

/** The connection's DNS lookup, refusing a host any of whose addresses is private. */
const publicOnly: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...(options as LookupOptions), all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
      const refused = Object.assign(new Error(`${hostname} resolves to an address that is not public`), { code: PRIVATE_ADDRESS });
      return callback(refused, '', 0);
    }
    if ((options as LookupOptions).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** The network reason (ECONNREFUSED, ENOTFOUND, ...) without anything the receiver sent. */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message.slice(0, 120) : 'unknown error';
}
