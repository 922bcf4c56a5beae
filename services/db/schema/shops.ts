import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** A tenant. Every other table leads with `shop_id` (D20). */
export const shops = pgTable(
  'shops',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    currency: text('currency').notNull(),
    timezone: text('timezone').notNull().default('UTC'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [check('shops_currency_iso', sql`${t.currency} ~ '^[A-Z]{3}$'`)],
);

/**
 * API keys, stored as SHA-256 of the key (the key carries 256 random bits, so a slow hash adds nothing).
 * The hash index is the one index that does not lead with shop_id: it is how a request finds its shop.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    shopId: text('shop_id').notNull().references(() => shops.id),
    id: text('id').notNull(),
    keyHash: text('key_hash').notNull(),
    prefix: text('prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.id] }), uniqueIndex('api_keys_key_hash').on(t.keyHash)],
);

/** Webhook signing secrets, encrypted with LOJAL_SECRET_KEY (AES-256-GCM); several may be valid during rotation. */
export const webhookSecrets = pgTable(
  'webhook_secrets',
  {
    shopId: text('shop_id').notNull().references(() => shops.id),
    id: text('id').notNull(),
    secretEnc: text('secret_enc').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.id] }), index('webhook_secrets_shop_created').on(t.shopId, t.createdAt)],
);
