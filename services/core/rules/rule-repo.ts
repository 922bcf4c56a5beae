import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { rules, ruleVersions } from '../../db/schema/index.ts';
import type { Executor } from '../../db/tx.ts';
import type { RuleConditions, RuleEffect } from '../earning/earning-types.ts';
import type { Rule, RuleInput } from './rule-types.ts';

/** The rules table, and rule_versions: every create, change and delete of a rule writes a version (D12). */

const live = (shopId: string, ruleId: string) => and(eq(rules.shopId, shopId), eq(rules.id, ruleId), isNull(rules.deletedAt));

export async function insertRule(tx: Executor, shopId: string, rule: Rule): Promise<void> {
  await tx.insert(rules).values({ shopId, ...rule });
}

/** Live rules by id, a page after `after`. */
export async function listRules(tx: Executor, shopId: string, limit: number, after: string | null): Promise<Rule[]> {
  const rows = await tx
    .select()
    .from(rules)
    .where(and(eq(rules.shopId, shopId), isNull(rules.deletedAt), after ? gt(rules.id, after) : undefined))
    .orderBy(asc(rules.id))
    .limit(limit);
  return rows.map(toRule);
}

/** Every live rule of the shop (the ones an award considers). */
export async function liveRules(tx: Executor, shopId: string): Promise<Rule[]> {
  const rows = await tx.select().from(rules).where(and(eq(rules.shopId, shopId), isNull(rules.deletedAt)));
  return rows.map(toRule);
}

export async function findRule(tx: Executor, shopId: string, ruleId: string, lock = false): Promise<Rule | null> {
  const query = tx.select().from(rules).where(live(shopId, ruleId));
  const rows = lock ? await query.for('update') : await query;
  return rows[0] ? toRule(rows[0]) : null;
}

export async function updateRule(tx: Executor, shopId: string, ruleId: string, input: RuleInput, version: number, now: Date): Promise<void> {
  await tx.update(rules).set({ ...input, version, updatedAt: now }).where(and(eq(rules.shopId, shopId), eq(rules.id, ruleId)));
}

/** Soft delete with a new version: the rule stops applying, its versions stay. Null when there was no live rule. */
export async function deleteRule(tx: Executor, shopId: string, ruleId: string, now: Date): Promise<Rule | null> {
  const rows = await tx
    .update(rules)
    .set({ deletedAt: now, active: false, version: sql`${rules.version} + 1` })
    .where(live(shopId, ruleId))
    .returning();
  return rows[0] ? toRule(rows[0]) : null;
}

export async function insertVersion(tx: Executor, shopId: string, rule: Rule, deleted: boolean, now: Date): Promise<void> {
  await tx.insert(ruleVersions).values({ shopId, ruleId: rule.id, version: rule.version, snapshot: { ...rule, deleted }, createdAt: now });
}

function toRule(row: typeof rules.$inferSelect): Rule {
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
