import { createHmac, timingSafeEqual } from 'node:crypto';

/** `X-WC-Webhook-Signature` for a body: base64(HMAC-SHA256(secret, raw body)), as WooCommerce signs it. */
export function wcSignature(secret: string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/**
 * D20: whether `header` is WooCommerce's signature of the raw bytes under one of the shop's live secrets (a
 * rotation's overlap keeps the old one), compared in constant time, before anything parses the body. WooCommerce
 * signs no timestamp, so there is nothing to expire: a replayed delivery is a duplicate by its events' ids.
 */
export function wcSignatureMatches(header: string | undefined, rawBody: Buffer, secrets: string[]): boolean {
  if (!header || !/^[A-Za-z0-9+/]{43}=$/.test(header.trim())) return false;
  const given = Buffer.from(header.trim(), 'base64');
  let matched = false;
  for (const secret of secrets) {
    if (timingSafeEqual(createHmac('sha256', secret).update(rawBody).digest(), given)) matched = true;
  }
  return matched;
}
