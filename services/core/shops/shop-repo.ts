import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import { apiKeys, shops, webhookSecrets } from '../../db/schema/index.ts';
import type { Executor } from '../../db/tx.ts';
import type { ApiKeyInfo, Shop } from './shop-types.ts';

export async function insertShop(tx: Executor, shop: Shop): Promise<void> {
  await tx.insert(shops).values(shop);
}

export async function findShop(tx: Executor, shopId: string): Promise<Shop | null> {
  const rows = await tx.select().from(shops).where(eq(shops.id, shopId)).limit(1);
  return rows[0] ?? null;
}

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

/** Gives every key and secret of the shop that would outlive `until` that expiry instead (rotation overlap). */
export async function expireCredentials(tx: Executor, shopId: string, until: Date): Promise<void> {
  await tx
    .update(apiKeys)
    .set({ expiresAt: until })
    .where(and(eq(apiKeys.shopId, shopId), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, until))));
  await tx
    .update(webhookSecrets)
    .set({ expiresAt: until })
    .where(
      and(eq(webhookSecrets.shopId, shopId), or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, until))),
    );
}

export async function revokeApiKey(tx: Executor, shopId: string, keyId: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.shopId, shopId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

export async function insertWebhookSecret(
  tx: Executor,
  row: { shopId: string; id: string; secretEnc: string; createdAt: Date },
): Promise<void> {
  await tx.insert(webhookSecrets).values(row);
}

/** Sealed secrets still valid at `now`, newest first (the newest signs outbound webhooks). */
export async function listLiveWebhookSecrets(tx: Executor, shopId: string, now: Date): Promise<string[]> {
  const rows = await tx
    .select({ secretEnc: webhookSecrets.secretEnc })
    .from(webhookSecrets)
    .where(
      and(
        eq(webhookSecrets.shopId, shopId),
        or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, now)),
      ),
    )
    .orderBy(desc(webhookSecrets.createdAt));
  return rows.map((r) => r.secretEnc);
}
