import type { EarningRule } from '../earning/earning-types.ts';

/** What a caller sets on a rule; the id and the version are Lojal's. */
export type RuleInput = Omit<EarningRule, 'id' | 'version'>;

export interface Rule extends EarningRule {
  createdAt: Date;
  updatedAt: Date;
}
