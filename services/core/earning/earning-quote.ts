import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import type { Clock } from '../common/clock.ts';
import { findMember } from '../members/member-repo.ts';
import { hasEarlierAward } from '../orders/order-repo.ts';
import { earningPlan, needsHistory } from '../orders/order-rules.ts';
import type { ProgramService } from '../program/program-service.ts';
import type { RuleService } from '../rules/rule-service.ts';
import { earningTier } from '../tiers/tier-rules.ts';
import type { TierService } from '../tiers/tier-service.ts';
import { quoteOrder, quoteView, type EarningQuote, type QuoteInput } from './quote-rules.ts';

export type EarningQuoteService = ReturnType<typeof createEarningQuote>;

interface Deps {
  database: Database;
  clock: Clock;
  program: ProgramService;
  rules: RuleService;
  tiers: TierService;
}

/**
 * The earning quote (docs/earning.md): what lines would earn if they were ordered now, decided exactly as an
 * award is (orders/order-rules.ts `earningPlan`). Reads only.
 */
export function createEarningQuote({ database, clock, program, rules, tiers }: Deps) {
  const { db } = database;

  return {
    /**
     * The points the lines would earn now under the program, its live rules (D12) and the member's tier (D9): the
     * lowest tier for a guest or a customer Lojal does not know, as their order would. A firstOrder rule counts for
     * a member with no awarded order yet, a guest and an unknown customer. Throws currency_mismatch,
     * validation_failed, out_of_range.
     */
    async quote(shopId: string, input: QuoteInput): Promise<EarningQuote> {
      const settings = await program.get(shopId);
      const data = quoteOrder(input, settings.currency, clock.now());
      const executor = reader(db);
      const [shopRules, shopTiers, member] = await Promise.all([
        rules.forEarning(shopId),
        tiers.shopTiers(shopId),
        input.customerId === undefined ? null : findMember(executor, shopId, input.customerId),
      ]);
      const firstOrder = member && needsHistory(shopRules) ? !(await hasEarlierAward(executor, shopId, member.id, null)) : true;
      const tier = earningTier(shopTiers.config, member?.tier.id ?? null, shopTiers.remap);
      const { plan } = earningPlan(data, settings, shopRules, { ...tier, firstOrder }, 'The quote');
      return quoteView(plan, tier);
    },
  };
}
