import type { Database, Db } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx, type Tx } from '../../db/tx.ts';
import type { Clock } from '../common/clock.ts';
import { notFound } from '../common/errors.ts';
import { newId } from '../common/ids.ts';
import { decryptSecret, encryptSecret, generateApiKey, generateWebhookSecret, hashApiKey } from '../common/secrets.ts';
import { SETTINGS_CACHE_MS, ttlCache } from '../common/ttl-cache.ts';
import * as keys from './api-key-repo.ts';
import { findShop } from './shop-repo.ts';
import type { ApiKeyInfo, ShopPrincipal } from './shop-types.ts';
import * as secretRepo from './webhook-secret-repo.ts';

export const ROTATION_OVERLAP_HOURS = 24;

/**
 * D20: a shop's API keys (stored hashed) and webhook secrets (stored sealed): issued together, shown once,
 * rotated with an overlap, revoked. Both are looked up on every request, so both are cached briefly; a rotation or
 * revocation through this process clears its cache at once.
 */
export interface ShopCredentialsDeps {
  database: Database;
  clock: Clock;
  secretKey: Buffer;
  /** How many known keys, and apart from them how many unknown ones, the key cache holds. */
  cacheEntries?: number;
}

export function createShopCredentials({ database, clock, secretKey, cacheEntries = 10_000 }: ShopCredentialsDeps) {
  const { db } = database;
  const principals = keyCache(db, clock, cacheEntries);
  // Read on every signed event and WooCommerce delivery, never through a caller's transaction: a burst on a cold
  // entry shares one lookup (D21).
  const secrets = ttlCache<string[]>(SETTINGS_CACHE_MS, 10_000, { shareLoads: true });

  return {
    /** Issues a fresh key and webhook secret for the shop inside `tx`; the plain values are returned once. */
    async issue(tx: Tx, shopId: string, now: Date): Promise<{ apiKey: string; webhookSecret: string }> {
      const apiKey = generateApiKey();
      const webhookSecret = generateWebhookSecret();
      await keys.insertApiKey(tx, { shopId, id: newId('key', now.getTime()), keyHash: hashApiKey(apiKey), prefix: apiKey.slice(0, 12), createdAt: now });
      await secretRepo.insertWebhookSecret(tx, { shopId, id: newId('whs', now.getTime()), secretEnc: encryptSecret(webhookSecret, secretKey), createdAt: now });
      return { apiKey, webhookSecret };
    },

    /** New key and secret; the old ones keep working for `overlapHours` (24 by default, 0 ends them now). Throws not_found. */
    async rotate(shopId: string, overlapHours = ROTATION_OVERLAP_HOURS) {
      const now = clock.now();
      return withTx(db, async (tx) => {
        if (!(await findShop(tx, shopId))) throw notFound('Shop');
        const oldUntil = new Date(now.getTime() + overlapHours * 3_600_000);
        await keys.expireApiKeys(tx, shopId, oldUntil);
        await secretRepo.expireWebhookSecrets(tx, shopId, oldUntil);
        principals.clear();
        secrets.delete(shopId);
        return { ...(await this.issue(tx, shopId, now)), previousExpireAt: oldUntil };
      });
    },

    listApiKeys(shopId: string): Promise<ApiKeyInfo[]> {
      return keys.listApiKeys(reader(db), shopId);
    },

    /** Throws not_found when the shop has no such live key. */
    async revokeApiKey(shopId: string, keyId: string): Promise<void> {
      const revoked = await withTx(db, (tx) => keys.revokeApiKey(tx, shopId, keyId, clock.now()));
      if (!revoked) throw notFound('API key');
      principals.clear();
    },

    /**
     * The principal a bearer key stands for, or null: unknown, revoked and expired keys look alike. `keyHash`: the
     * key's hashApiKey, when the caller has it already.
     */
    async authenticate(apiKey: string, keyHash = hashApiKey(apiKey)): Promise<ShopPrincipal | null> {
      if (!apiKey.startsWith('lj_sk_') || apiKey.length > 200) return null;
      return principals.lookup(keyHash);
    },

    /**
     * Plain webhook secrets valid now, newest first: inbound signatures may use any, outbound use the first.
     * `fresh` skips the cache (a signature that fails may be signed with a secret rotated in by another process).
     */
    async webhookSecrets(shopId: string, { fresh = false }: { fresh?: boolean } = {}): Promise<string[]> {
      if (fresh) secrets.delete(shopId);
      return secrets.get(shopId, async () => {
        const sealed = await secretRepo.listLiveWebhookSecrets(reader(db), shopId, clock.now());
        return sealed.map((s) => decryptSecret(s, secretKey));
      });
    },
  };
}

/**
 * Key hashes to principals, cached. Unknown keys are remembered apart, briefly: a repeated one costs no lookup,
 * and a flood of them cannot push the known keys out of their cache.
 */
function keyCache(db: Db, clock: Clock, entries: number) {
  const known = ttlCache<ShopPrincipal>(SETTINGS_CACHE_MS, entries);
  const unknown = ttlCache<null>(SETTINGS_CACHE_MS, entries);
  return {
    async lookup(hash: string): Promise<ShopPrincipal | null> {
      const hit = known.peek(hash) ?? unknown.peek(hash);
      if (hit) return hit.value;
      const found = await keys.findLiveKeyByHash(db, hash, clock.now());
      if (found) known.set(hash, found);
      else unknown.set(hash, null);
      return found;
    },
    /** After a rotation or revocation: known keys are looked up again. */
    clear(): void {
      known.clear();
    },
  };
}
