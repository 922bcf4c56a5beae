import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx, type Executor } from '../../db/tx.ts';
import type { EarningRule } from '../earning/earning-types.ts';
import type { Clock } from '../shared/clock.ts';
import { notFound, validationFailed } from '../shared/errors.ts';
import { isId, newId } from '../shared/ids.ts';
import { SETTINGS_CACHE_MS, ttlCache } from '../shared/ttl-cache.ts';
import * as repo from './rule-repo.ts';
import type { Rule, RuleInput } from './rule-types.ts';

export type { Rule, RuleInput } from './rule-types.ts';
export type RuleService = ReturnType<typeof createRuleService>;

/** D12: rules are versioned; every create, change and delete writes a version, and awards name the ones they used. */
export function createRuleService({ database, clock }: { database: Database; clock: Clock }) {
  const { db } = database;
  const live = ttlCache<EarningRule[]>(SETTINGS_CACHE_MS);

  async function recordVersion(tx: Executor, shopId: string, rule: Rule, deleted = false): Promise<void> {
    await repo.insertVersion(tx, shopId, rule, deleted, clock.now());
    live.delete(shopId);
  }

  return {
    /** Throws validation_failed. */
    async create(shopId: string, input: RuleInput): Promise<Rule> {
      validate(input);
      const now = clock.now();
      const rule: Rule = { id: newId('rule', now.getTime()), version: 1, ...input, createdAt: now, updatedAt: now };
      await withTx(db, async (tx) => {
        await repo.insertRule(tx, shopId, rule);
        await recordVersion(tx, shopId, rule);
      });
      return rule;
    },

    /** `after` is the `nextCursor` of the previous page (a rule id). Throws validation_failed. */
    async list(shopId: string, limit: number, after: string | null): Promise<{ data: Rule[]; nextCursor: string | null }> {
      // Any string would do as a keyset bound, so a mangled cursor would quietly give some other page.
      if (after !== null && !isId('rule', after)) throw validationFailed([{ field: 'query/cursor', message: 'is not a cursor this API gave out' }]);
      const rows = await repo.listRules(reader(db), shopId, limit + 1, after);
      const data = rows.slice(0, limit);
      return { data, nextCursor: rows.length > limit ? (data[data.length - 1]?.id ?? null) : null };
    },

    /** Throws not_found. */
    async get(shopId: string, ruleId: string): Promise<Rule> {
      const rule = await repo.findRule(reader(db), shopId, ruleId);
      if (!rule) throw notFound('Rule');
      return rule;
    },

    /** A new version of the rule; awards made before keep naming the old one. Throws not_found, validation_failed. */
    async update(shopId: string, ruleId: string, input: RuleInput): Promise<Rule> {
      validate(input);
      return withTx(db, async (tx) => {
        const current = await repo.findRule(tx, shopId, ruleId, true);
        if (!current) throw notFound('Rule');
        const rule: Rule = { ...current, ...input, version: current.version + 1, updatedAt: clock.now() };
        await repo.updateRule(tx, shopId, ruleId, input, rule.version, rule.updatedAt);
        await recordVersion(tx, shopId, rule);
        return rule;
      });
    },

    /** Soft delete: the rule stops applying, its versions stay for the awards that name them. Throws not_found. */
    async remove(shopId: string, ruleId: string): Promise<void> {
      await withTx(db, async (tx) => {
        const rule = await repo.deleteRule(tx, shopId, ruleId, clock.now());
        if (!rule) throw notFound('Rule');
        await recordVersion(tx, shopId, rule, true);
      });
    },

    /** Live rules, cached briefly; inside a transaction pass it as `executor` (one connection per transaction). */
    forEarning(shopId: string, executor: Executor = reader(db)): Promise<EarningRule[]> {
      return live.get(shopId, () => repo.liveRules(executor, shopId));
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
