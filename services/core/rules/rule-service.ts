import type { Database, Db } from '../../db/client.ts';
import { reader, whenRequestTxEnds } from '../../db/request-tx.ts';
import { withTx, type Executor, type Tx } from '../../db/tx.ts';
import type { EarningRule } from '../earning/earning-types.ts';
import type { Clock } from '../common/clock.ts';
import { notFound, validationFailed } from '../common/errors.ts';
import { checkIfMatch, type IfMatch } from '../common/preconditions.ts';
import { isId, newId } from '../common/ids.ts';
import { SETTINGS_CACHE_MS, ttlCache } from '../common/ttl-cache.ts';
import * as repo from './rule-repo.ts';
import type { Rule, RuleInput } from './rule-types.ts';

export type { Rule, RuleInput } from './rule-types.ts';
export type RuleService = ReturnType<typeof createRuleService>;

/** D12: rules are versioned; every create, change and delete writes a version, and awards name the ones they used. */
export function createRuleService({ database, clock }: { database: Database; clock: Clock }) {
  const { db } = database;
  const live = ttlCache<EarningRule[]>(SETTINGS_CACHE_MS);

  const recordVersion = (tx: Executor, shopId: string, rule: Rule, deleted = false) =>
    repo.insertVersion(tx, shopId, rule, deleted, clock.now());
  const change = <T>(shopId: string, work: (tx: Tx) => Promise<T>) => changeRules(db, live, shopId, work);

  return {
    /** Throws validation_failed. */
    async create(shopId: string, input: RuleInput): Promise<Rule> {
      validate(input);
      const now = clock.now();
      const rule: Rule = { id: newId('rule', now.getTime()), version: 1, ...input, createdAt: now, updatedAt: now };
      await change(shopId, async (tx) => {
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
    get: (shopId: string, ruleId: string): Promise<Rule> => findOrThrow(reader(db), shopId, ruleId),

    /**
     * Replaces the whole rule under its row lock: a new version; awards made before keep naming the old one.
     * `ifMatch` (rule versions) refuses the change when the rule moved on since the caller read it.
     * Throws not_found, validation_failed, precondition_failed.
     */
    async update(shopId: string, ruleId: string, input: RuleInput, ifMatch?: IfMatch): Promise<Rule> {
      validate(input);
      return change(shopId, async (tx) => {
        const current = await lockCurrent(tx, shopId, ruleId, ifMatch);
        const rule: Rule = { ...current, ...input, version: current.version + 1, updatedAt: clock.now() };
        await repo.updateRule(tx, shopId, ruleId, input, rule.version, rule.updatedAt);
        await recordVersion(tx, shopId, rule);
        return rule;
      });
    },

    /**
     * Soft delete: the rule stops applying, its versions stay for the awards that name them. With `ifMatch`, only
     * while the rule is at one of those versions. Throws not_found, precondition_failed.
     */
    async remove(shopId: string, ruleId: string, ifMatch?: IfMatch): Promise<void> {
      await change(shopId, async (tx) => {
        if (ifMatch !== undefined) await lockCurrent(tx, shopId, ruleId, ifMatch);
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

/**
 * A change of the shop's rules in a transaction; their cache is cleared once it is committed (and again when the
 * request transaction ends): cleared earlier, a concurrent read could cache the old rules again meanwhile.
 */
async function changeRules<T>(db: Db, live: { delete(shopId: string): void }, shopId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await withTx(db, work);
  } finally {
    live.delete(shopId);
    whenRequestTxEnds(() => live.delete(shopId));
  }
}

/** The live rule under its row lock, at a version `ifMatch` allows (any without one). Throws not_found, precondition_failed. */
async function lockCurrent(tx: Executor, shopId: string, ruleId: string, ifMatch: IfMatch | undefined): Promise<Rule> {
  const current = await repo.findRule(tx, shopId, ruleId, true);
  if (!current) throw notFound('Rule');
  checkIfMatch(ifMatch, String(current.version), 'The rule');
  return current;
}

function validate(input: RuleInput): void {
  const errors: { field: string; message: string }[] = [];
  if (input.startsAt && input.endsAt && input.endsAt <= input.startsAt) errors.push({ field: '/endsAt', message: 'must be after startsAt' });
  if (input.effect.multiplier === undefined && input.effect.bonusPoints === undefined) {
    errors.push({ field: '/effect', message: 'needs a multiplier or bonusPoints' });
  }
  if (errors.length > 0) throw validationFailed(errors);
}

async function findOrThrow(executor: Executor, shopId: string, ruleId: string): Promise<Rule> {
  const rule = await repo.findRule(executor, shopId, ruleId);
  if (!rule) throw notFound('Rule');
  return rule;
}
