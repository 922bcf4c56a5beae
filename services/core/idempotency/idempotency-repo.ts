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

/** Deletes up to `limit` keys past their expiry; returns how many went. */
export async function purgeExpired(tx: Executor, now: Date, limit: number): Promise<number> {
  const result = await tx.execute(sql`
    DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM idempotency_keys WHERE expires_at <= ${now} LIMIT ${limit}))`);
  return result.rowCount ?? 0;
}
