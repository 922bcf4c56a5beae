import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import { apiKeys } from '../../db/schema/index.ts';
import type { Executor } from '../../db/tx.ts';
import type { ApiKeyInfo } from './shop-types.ts';

/** The api_keys table: keys stored as SHA-256 hashes, never in clear (D20). */

export async function insertApiKey(
  tx: Executor,
  row: { shopId: string; id: string; keyHash: string; prefix: string; createdAt: Date },
): Promise<void> {
  await tx.insert(apiKeys).values(row);
}

/** The live key with this hash, if any: neither revoked nor past its expiry. */
export async function findLiveKeyByHash(
  tx: Executor,
  keyHash: string,
  now: Date,
): Promise<{ shopId: string; keyId: string } | null> {
  const rows = await tx
    .select({ shopId: apiKeys.shopId, keyId: apiKeys.id })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.keyHash, keyHash),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

export async function listApiKeys(tx: Executor, shopId: string): Promise<ApiKeyInfo[]> {
  return tx
    .select({
      id: apiKeys.id,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.shopId, shopId))
    .orderBy(desc(apiKeys.createdAt));
}

/** Gives every key of the shop that would outlive `until` that expiry instead (rotation overlap). */
export async function expireApiKeys(tx: Executor, shopId: string, until: Date): Promise<void> {
  await tx
    .update(apiKeys)
    .set({ expiresAt: until })
    .where(and(eq(apiKeys.shopId, shopId), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, until))));
}

export async function revokeApiKey(tx: Executor, shopId: string, keyId: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.shopId, shopId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}
