import type { Database } from '../../db/client.ts';
import {  withTx, type Tx } from '../../db/tx.ts';
import { reader } from '../../db/request-tx.ts';
import type { Clock } from '../shared/clock.ts';
import { notFound, validationFailed, type FieldError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { isCurrency, isTimeZone } from '../shared/money.ts';
import {
  decryptSecret,
  encryptSecret,
  generateApiKey,
  generateWebhookSecret,
  hashApiKey,
} from '../shared/secrets.ts';
import { SETTINGS_CACHE_MS, ttlCache } from '../shared/ttl-cache.ts';
import * as repo from './shop-repo.ts';
import type { ApiKeyInfo, NewShopCredentials, Shop, ShopPrincipal } from './shop-types.ts';

export const ROTATION_OVERLAP_HOURS = 24;

export interface ShopServiceDeps {
  database: Database;
  clock: Clock;
  secretKey: Buffer;
}

export type ShopService = ReturnType<typeof createShopService>;

export function createShopService({ database, clock, secretKey }: ShopServiceDeps) {
  const { db } = database;
  // Every request authenticates: a key's shop is cached briefly; revoking or rotating here clears it at once.
  const principals = ttlCache<ShopPrincipal | null>(SETTINGS_CACHE_MS);
  // Every event checks its signature against these: cached the same way, cleared by a rotation here.
  const secrets = ttlCache<string[]>(SETTINGS_CACHE_MS);

  /** Issues a fresh key and webhook secret for the shop inside `tx`; the plain values are returned once. */
  async function issueCredentials(tx: Tx, shopId: string, now: Date) {
    const apiKey = generateApiKey();
    const webhookSecret = generateWebhookSecret();
    await repo.insertApiKey(tx, {
      shopId,
      id: newId('key', now.getTime()),
      keyHash: hashApiKey(apiKey),
      prefix: apiKey.slice(0, 12),
      createdAt: now,
    });
    await repo.insertWebhookSecret(tx, {
      shopId,
      id: newId('whs', now.getTime()),
      secretEnc: encryptSecret(webhookSecret, secretKey),
      createdAt: now,
    });
    return { apiKey, webhookSecret };
  }

  return {
    /** Creates a shop with its first key and secret. Throws validation_failed. */
    async createShop(input: { name: string; currency: string; timezone?: string }): Promise<NewShopCredentials> {
      const shop = validateNewShop(input, clock.now());
      return withTx(db, async (tx) => {
        await repo.insertShop(tx, shop);
        return { shop, ...(await issueCredentials(tx, shop.id, shop.createdAt)) };
      });
    },

    /** Throws not_found. */
    async getShop(shopId: string): Promise<Shop> {
      const shop = await repo.findShop(reader(db), shopId);
      if (!shop) throw notFound('Shop');
      return shop;
    },

    async listApiKeys(shopId: string): Promise<ApiKeyInfo[]> {
      await this.getShop(shopId);
      return repo.listApiKeys(reader(db), shopId);
    },

    /**
     * D20: new key and secret; the old ones keep working for `overlapHours` (24 by default, 0 ends them now).
     * Throws not_found.
     */
    async rotateSecrets(shopId: string, overlapHours = ROTATION_OVERLAP_HOURS) {
      const now = clock.now();
      return withTx(db, async (tx) => {
        if (!(await repo.findShop(tx, shopId))) throw notFound('Shop');
        const oldUntil = new Date(now.getTime() + overlapHours * 3_600_000);
        await repo.expireCredentials(tx, shopId, oldUntil);
        principals.clear();
        secrets.delete(shopId);
        return { ...(await issueCredentials(tx, shopId, now)), previousExpireAt: oldUntil };
      });
    },

    /** Throws not_found when the shop has no such live key. */
    async revokeApiKey(shopId: string, keyId: string): Promise<void> {
      const revoked = await withTx(db, (tx) => repo.revokeApiKey(tx, shopId, keyId, clock.now()));
      if (!revoked) throw notFound('API key');
      principals.clear();
    },

    /** The principal a bearer key stands for, or null: unknown, revoked and expired keys look alike. */
    async authenticate(apiKey: string): Promise<ShopPrincipal | null> {
      if (!apiKey.startsWith('lj_sk_') || apiKey.length > 200) return null;
      const hash = hashApiKey(apiKey);
      return principals.get(hash, () => repo.findLiveKeyByHash(db, hash, clock.now()));
    },

    /**
     * Plain webhook secrets valid now, newest first: inbound signatures may use any, outbound use the first.
     * `fresh` skips the cache (a signature that fails may be signed with a secret rotated in by another process).
     */
    async webhookSecrets(shopId: string, { fresh = false }: { fresh?: boolean } = {}): Promise<string[]> {
      if (fresh) secrets.delete(shopId);
      return secrets.get(shopId, async () => {
        const sealed = await repo.listLiveWebhookSecrets(db, shopId, clock.now());
        return sealed.map((s) => decryptSecret(s, secretKey));
      });
    },
  };
}

function validateNewShop(input: { name: string; currency: string; timezone?: string }, now: Date): Shop {
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) errors.push({ field: '/name', message: 'must be 1 to 200 characters' });
  if (!isCurrency(input.currency)) errors.push({ field: '/currency', message: 'must be an ISO 4217 code, e.g. PLN' });
  const timezone = input.timezone ?? 'UTC';
  if (!isTimeZone(timezone)) errors.push({ field: '/timezone', message: 'must be an IANA time zone, e.g. Europe/Warsaw' });
  if (errors.length > 0) throw validationFailed(errors);
  return { id: newId('shop', now.getTime()), name, currency: input.currency, timezone, createdAt: now };
}

