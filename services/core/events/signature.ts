import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../common/errors.ts';

export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** `Lojal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` for a body. */
export function signatureHeader(secret: string, rawBody: string | Buffer, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${sign(secret, unixSeconds, rawBody)}`;
}

function sign(secret: string, t: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
}

/**
 * D20: checks a `Lojal-Signature` over the raw bytes, before anything parses them, against every live secret
 * (rotation overlap), comparing in constant time. Throws signature_invalid or signature_expired.
 */
export function verifySignature(header: string | undefined, rawBody: Buffer, secrets: string[], now: Date): void {
  if (!header) throw new DomainError('signature_invalid', 'The Lojal-Signature header is missing');
  const parts = new Map<string, string[]>();
  for (const piece of header.split(',')) {
    const [key, ...value] = piece.trim().split('=');
    if (key && value.length > 0) parts.set(key, [...(parts.get(key) ?? []), value.join('=')]);
  }
  const t = Number(parts.get('t')?.[0]);
  const given = (parts.get('v1') ?? []).filter((v) => /^[0-9a-f]{64}$/.test(v));
  if (!Number.isInteger(t) || given.length === 0) {
    throw new DomainError('signature_invalid', 'Lojal-Signature must be t=<unix seconds>,v1=<hex HMAC-SHA256>');
  }
  const matches = secrets.some((secret) => {
    const expected = Buffer.from(sign(secret, t, rawBody), 'hex');
    return given.some((v) => timingSafeEqual(expected, Buffer.from(v, 'hex')));
  });
  if (!matches) throw new DomainError('signature_invalid', 'The signature does not match the body');
  if (Math.abs(now.getTime() / 1000 - t) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new DomainError('signature_expired', `The signature's timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s away from now`);
  }
}
