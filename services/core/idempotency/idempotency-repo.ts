import { and, eq, lte, sql } from 'drizzle-orm';
import { idempotencyKeys } from '../../db/schema/index.ts';
import type { Executor } from '../../db/tx.ts';

export interface StoredResponse {
  requestHash: string;
  statusCode: number;
  contentType: string | null;
  body: string;
}

/**
 * Claims (shop, key) inside the request's transaction. A concurrent request with the same key blocks on the
 * primary key until this transaction ends (at most `waitMs`, then 55P03), then finds the stored response.
 * Returns null when claimed, or the row that was already there.
 */
export async function claimKey(
  tx: Executor,
  shopId: string,
  key: string,
  requestHash: string,
  now: Date,
  ttlMs: number,
  waitMs: number,
): Promise<StoredResponse | null> {
  await tx.execute(sql.raw(`SET LOCAL lock_timeout = '${Math.trunc(waitMs)}ms'`));
  await tx
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.shopId, shopId), eq(idempotencyKeys.key, key), lte(idempotencyKeys.expiresAt, now)));
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({ shopId, key, requestHash, statusCode: 0, body: '', createdAt: now, expiresAt: new Date(now.getTime() + ttlMs) })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return null;
  const rows = await tx
    .select({
      requestHash: idempotencyKeys.requestHash,
      statusCode: idempotencyKeys.statusCode,
      contentType: idempotencyKeys.contentType,
      body: idempotencyKeys.body,
    })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.shopId, shopId), eq(idempotencyKeys.key, key)));
  return rows[0] ?? null;
}

export async function storeResponse(
  tx: Executor,
  shopId: string,
  key: string,
  response: { statusCode: number; contentType: string | null; body: string },
): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set(response)
    .where(and(eq(idempotencyKeys.shopId, shopId), eq(idempotencyKeys.key, key)));
}

/**
 * D19: what is left of a stored response that named an erased member. The key and the request's hash stay, so the
 * request is still recognised and never runs twice; the body, which held the member's data, is gone.
 */
export const ERASED_RESPONSE = { statusCode: 410, contentType: null, body: '' } as const;

export function isErasedResponse(stored: Omit<StoredResponse, 'requestHash'>): boolean {
  return stored.statusCode === ERASED_RESPONSE.statusCode && stored.contentType === null && stored.body === ERASED_RESPONSE.body;
}

/**
 * D19: blanks the shop's stored responses that name the member: an object in them with its customer id as
 * `customerId` or `referredBy`, or its e-mail as `email` (the member and redemption views). The text search comes
 * first (a JSON string holds the value exactly as JSON.stringify writes it); only bodies that pass it are parsed.
 * Returns how many were blanked.
 */
export async function eraseResponses(tx: Executor, shopId: string, member: { customerId: string; email: string | null }): Promise<number> {
  const id = JSON.stringify(member.customerId);
  const email = member.email === null ? null : JSON.stringify(member.email);
  const vars = JSON.stringify({ id: member.customerId, email: member.email });
  const result = await tx.execute(sql`
    UPDATE idempotency_keys SET status_code = ${ERASED_RESPONSE.statusCode}, content_type = NULL, body = ${ERASED_RESPONSE.body}
     WHERE shop_id = ${shopId}
       AND CASE WHEN content_type LIKE '%json%' AND (strpos(body, ${id}) > 0 OR strpos(body, ${email}::text) > 0)
                THEN jsonb_path_exists(body::jsonb,
                       '$.** ? (@.customerId == $id || @.referredBy == $id || ($email != null && @.email == $email))',
                       ${vars}::jsonb)
                ELSE false END`);
  return result.rowCount ?? 0;
}

/** Deletes up to `limit` keys past their expiry; returns how many went. */
export async function purgeExpired(tx: Executor, now: Date, limit: number): Promise<number> {
  const result = await tx.execute(sql`
    DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM idempotency_keys WHERE expires_at <= ${now} LIMIT ${limit}))`);
  return result.rowCount ?? 0;
}
