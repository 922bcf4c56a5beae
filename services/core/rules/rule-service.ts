import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { rules, ruleVersions } from '../../db/schema/index.ts';
import { reader, withTx, type Executor } from '../../db/tx.ts';
import type { EarningRule, RuleConditions, RuleEffect } from '../earning/earning-types.ts';
import type { Clock } from '../shared/clock.ts';
import { notFound, validationFailed } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { SETTINGS_CACHE_MS, ttlCache } from '../shared/ttl-cache.ts';

/** What a caller sets on a rule; the id and the version are Lojal's. */
export type RuleInput = Omit<EarningRule, 'id' | 'version'>;

export interface Rule extends EarningRule {
  createdAt: Date;
  updatedAt: Date;
}

export type RuleService = ReturnType<typeof createRuleService>;

type Row = typeof rules.$inferSelect;

function toRule(row: Row): Rule {
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    active: row.active,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    conditions: row.conditions as RuleConditions,
    effect: row.effect as RuleEffect,
    stackable: row.stackable,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** D12: rules are versioned; every create, change and delete writes a version, and awards name the ones they used. */
export function createRuleService({ database, clock }: { database: Database; clock: Clock }) {
  const { db } = database;
  const live = ttlCache<EarningRule[]>(SETTINGS_CACHE_MS);

  async function recordVersion(tx: Executor, shopId: string, rule: Rule, deleted = false): Promise<void> {
    await tx.insert(ruleVersions).values({ shopId, ruleId: rule.id, version: rule.version, snapshot: { ...rule, deleted }, createdAt: clock.now() });
    live.delete(shopId);
  }

  return {
    /** Throws validation_failed. */
    async create(shopId: string, input: RuleInput): Promise<Rule> {
      validate(input);
      const now = clock.now();
      const rule: Rule = { id: newId('rule', now.getTime()), version: 1, ...input, createdAt: now, updatedAt: now };
      await withTx(db, async (tx) => {
        await tx.insert(rules).values({ shopId, ...rule });
        await recordVersion(tx, shopId, rule);
      });
      return rule;
    },

    async list(shopId: string, limit: number, after: string | null): Promise<{ data: Rule[]; nextCursor: string | null }> {
      const rows = await reader(db)
        .select()
        .from(rules)
        .where(and(eq(rules.shopId, shopId), isNull(rules.deletedAt), after ? gt(rules.id, after) : undefined))
        .orderBy(asc(rules.id))
        .limit(limit + 1);
      const data = rows.slice(0, limit).map(toRule);
      return { data, nextCursor: rows.length > limit ? (data[data.length - 1]?.id ?? null) : null };
    },

    /** Throws not_found. */
    async get(shopId: string, ruleId: string): Promise<Rule> {
      const rows = await reader(db).select().from(rules).where(and(eq(rules.shopId, shopId), eq(rules.id, ruleId), isNull(rules.deletedAt)));
      if (!rows[0]) throw notFound('Rule');
      return toRule(rows[0]);
    },

    /** A new version of the rule; awards made before keep naming the old one. Throws not_found, validation_failed. */
    async update(shopId: string, ruleId: string, input: RuleInput): Promise<Rule> {
      validate(input);
      return withTx(db, async (tx) => {
        const rows = await tx
          .select()
          .from(rules)
          .where(and(eq(rules.shopId, shopId), eq(rules.id, ruleId), isNull(rules.deletedAt)))
          .for('update');
        if (!rows[0]) throw notFound('Rule');
        const rule: Rule = { ...toRule(rows[0]), ...input, version: rows[0].version + 1, updatedAt: clock.now() };
        await tx.update(rules).set({ ...input, version: rule.version, updatedAt: rule.updatedAt }).where(and(eq(rules.shopId, shopId), eq(rules.id, ruleId)));
        await recordVersion(tx, shopId, rule);
        return rule;
      });
    },

    /** Soft delete: the rule stops applying, its versions stay for the awards that name them. Throws not_found. */
    async remove(shopId: string, ruleId: string): Promise<void> {
      await withTx(db, async (tx) => {
        const rows = await tx
          .update(rules)
          .set({ deletedAt: clock.now(), active: false })
          .where(and(eq(rules.shopId, shopId), eq(rules.id, ruleId), isNull(rules.deletedAt)))
          .returning();
        if (!rows[0]) throw notFound('Rule');
        const rule = toRule(rows[0]);
        await tx.update(rules).set({ version: rule.version + 1 }).where(and(eq(rules.shopId, shopId), eq(rules.id, ruleId)));
        await recordVersion(tx, shopId, { ...rule, version: rule.version + 1 }, true);
      });
    },

    /** The rules an award considers: live (not deleted) ones; date windows and activity are the earning rules' call. */
    /** Live rules, cached briefly; inside a transaction pass it as `executor` (one connection per transaction). */
    forEarning(shopId: string, executor: Executor = reader(db)): Promise<EarningRule[]> {
      return live.get(shopId, async () => {
        const rows = await executor.select().from(rules).where(and(eq(rules.shopId, shopId), isNull(rules.deletedAt)));
        return rows.map(toRule);
      });
    },
  };
}

function validate(input: RuleInput): void {
  const errors: { field: string; message: string }[] = [];
  if (input.startsAt && input.endsAt && input.endsAt <= input.startsAt) errors.push({ field: '/endsAt', message: 'must be after startsAt' });
  if (input.effect.multiplier === undefined && input.effect.bonusPoints === undefined) {
    errors.push({ field: '/effect', message: 'needs a multiplier or bonusPoints' });
  }
  if (errors.length > 0) throw validationFailed(errors);
}
