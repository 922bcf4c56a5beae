import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed link may do; a token made for one purpose is refused for every other. */
export type TokenPurpose = 'unsubscribe' | 'feedback';

export interface TokenClaims {
  purpose: TokenPurpose;
  shopId: string;
  memberId: string;
  /** The order a feedback link asks about (D14); unsubscribe links have none. */
  orderId?: string;
}

const VERSION = 'v1';

/** The claims each purpose carries after the shop and the member: a feedback token names its order too. */
const EXTRA_PARTS: Record<TokenPurpose, number> = { unsubscribe: 0, feedback: 1 };

/**
 * D17: `v1.<shop>.<member>.<purpose>[.<order>].<mac>`, each part base64url; the MAC is HMAC-SHA256 under a key
 * derived from LOJAL_SECRET_KEY for links only, so it can never be mistaken for anything else the secret key
 * protects. The purpose is signed with the rest, and each purpose has its own number of parts, so a token of one
 * purpose never passes for another (unsubscribe tokens given out before feedback links existed stay valid). The
 * token does not expire: an unsubscribe link must work however old the message is.
 */
export function signToken(secretKey: Buffer, claims: TokenClaims): string {
  const extra = EXTRA_PARTS[claims.purpose] > 0 ? [b64(claims.orderId ?? '')] : [];
  const body = [VERSION, b64(claims.shopId), b64(claims.memberId), b64(claims.purpose), ...extra].join('.');
  return `${body}.${mac(secretKey, body).toString('base64url')}`;
}

/** The claims of a token this key signed for `purpose`; null for anything else (altered, truncated, foreign). */
export function verifyToken(secretKey: Buffer, purpose: TokenPurpose, token: string): TokenClaims | null {
  const parts = token.split('.');
  const count = 5 + EXTRA_PARTS[purpose];
  if (parts.length !== count || parts[0] !== VERSION || token.length > 1024) return null;
  const body = parts.slice(0, count - 1).join('.');
  const given = Buffer.from(parts[count - 1]!, 'base64url');
  const expected = mac(secretKey, body);
  // The decoder skips what is not base64url; only the MAC exactly as given out counts.
  if (given.toString('base64url') !== parts[count - 1] || given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [shopId, memberId, named, orderId] = parts.slice(1, count - 1).map((p) => Buffer.from(p, 'base64url').toString('utf8'));
  if (named !== purpose || !shopId || !memberId) return null;
  if (purpose === 'feedback') return orderId ? { purpose, shopId, memberId, orderId } : null;
  return { purpose, shopId, memberId };
}

function mac(secretKey: Buffer, body: string): Buffer {
  const linkKey = createHmac('sha256', secretKey).update('lojal link tokens').digest();
  return createHmac('sha256', linkKey).update(body).digest();
}

function b64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64url');
}

/** The link a message carries, under PUBLIC_URL. */
export function unsubscribeUrl(publicUrl: string, secretKey: Buffer, shopId: string, memberId: string): string {
  return `${publicUrl}/v1/unsubscribe?token=${signToken(secretKey, { purpose: 'unsubscribe', shopId, memberId })}`;
}
