import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx } from '../../db/tx.ts';
import type { Clock } from '../common/clock.ts';
import { notFound, validationFailed, type FieldError } from '../common/errors.ts';
import { newId } from '../common/ids.ts';
import { isCurrency, isTimeZone } from '../common/money.ts';
import { createShopCredentials } from './shop-credentials.ts';
import * as repo from './shop-repo.ts';
import type { ApiKeyInfo, NewShopCredentials, Shop } from './shop-types.ts';

export { ROTATION_OVERLAP_HOURS } from './shop-credentials.ts';

export interface ShopServiceDeps {
  database: Database;
  clock: Clock;
  secretKey: Buffer;
}

export type ShopService = ReturnType<typeof createShopService>;

export function createShopService({ database, clock, secretKey }: ShopServiceDeps) {
  const { db } = database;
  const credentials = createShopCredentials({ database, clock, secretKey });

  return {
    /** Creates a shop with its first key and secret. Throws validation_failed. */
    async createShop(input: { name: string; currency: string; timezone?: string }): Promise<NewShopCredentials> {
      const shop = validateNewShop(input, clock.now());
      return withTx(db, async (tx) => {
        await repo.insertShop(tx, shop);
        return { shop, ...(await credentials.issue(tx, shop.id, shop.createdAt)) };
      });
    },

    /** Throws not_found. */
    async getShop(shopId: string): Promise<Shop> {
      const shop = await repo.findShop(reader(db), shopId);
      if (!shop) throw notFound('Shop');
      return shop;
    },

    /** Throws not_found. */
    async listApiKeys(shopId: string): Promise<ApiKeyInfo[]> {
      await this.getShop(shopId);
      return credentials.listApiKeys(shopId);
    },

    /** D20: new key and secret; the old ones keep working for `overlapHours`. Throws not_found. */
    rotateSecrets: (shopId: string, overlapHours?: number) => credentials.rotate(shopId, overlapHours),
    revokeApiKey: credentials.revokeApiKey,
    authenticate: credentials.authenticate,
    webhookSecrets: credentials.webhookSecrets,
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

