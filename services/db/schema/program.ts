import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { shops } from './shops.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A shop's program settings; absent fields take the defaults of `GET /v1/program` (core/program/program-types.ts). */
export const programs = pgTable('programs', {
  shopId: text('shop_id').primaryKey().references(() => shops.id),
  settings: jsonb('settings').notNull(),
  /** D9: the shop's tier configuration (`GET /v1/tiers`); null: no tiers. */
  tiers: jsonb('tiers'),
  /** D9: set when the tiers change; the tiers job re-evaluates the shop's members and clears it. */
  tiersChangedAt: ts('tiers_changed_at'),
  /** D9: removed tier id → the tier its members move to, until the tiers job has moved them. */
  tiersRemap: jsonb('tiers_remap'),
  updatedAt: ts('updated_at').notNull(),
});

/** Earning rules and campaigns (D12). Every change is a new version; awards name the versions they used. */
export const rules = pgTable(
  'rules',
  {
    shopId: text('shop_id').notNull().references(() => shops.id),
    id: text('id').notNull(),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    active: boolean('active').notNull(),
    startsAt: ts('starts_at'),
    endsAt: ts('ends_at'),
    conditions: jsonb('conditions').notNull(),
    effect: jsonb('effect').notNull(),
    stackable: boolean('stackable').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    deletedAt: ts('deleted_at'),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.id] }), index('rules_live').on(t.shopId).where(sql`${t.deletedAt} IS NULL`)],
);

export const ruleVersions = pgTable(
  'rule_versions',
  {
    shopId: text('shop_id').notNull().references(() => shops.id),
    ruleId: text('rule_id').notNull(),
    version: integer('version').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.ruleId, t.version] })],
);
