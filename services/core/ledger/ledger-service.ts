import type { Database } from '../../db/client.ts';
import type { Clock } from '../common/clock.ts';
import { validationFailed } from '../common/errors.ts';
import { checkLedger, type CheckReport } from './ledger-check.ts';
import type { Posted } from './posting.ts';
import type { PostingRunner } from './posting-runner.ts';

export type LedgerService = ReturnType<typeof createLedgerService>;

export interface AdjustmentInput {
  points: number;
  reason: string;
  expiresAt?: Date | null;
  allowNegative?: boolean;
  /** Who in the shop made it (an admin user's name): kept in the entry's metadata beside the key that sent it. */
  by?: string | null;
}

export function createLedgerService({ database, clock, postings }: { database: Database; clock: Clock; postings: PostingRunner }) {
  return {
    /**
     * An operator's correction (D13: a new entry, never an edit). A credit makes a lot expiring at `expiresAt`;
     * a debit takes from lots like a burn. Throws not_found, validation_failed, insufficient_points.
     */
    async adjust(shopId: string, customerId: string, input: AdjustmentInput, actor: string): Promise<Posted> {
      const now = clock.now();
      if (input.points > 0 && input.expiresAt && input.expiresAt <= now) {
        throw validationFailed([{ field: '/expiresAt', message: 'must be in the future' }]);
      }
      if (input.points < 0 && input.expiresAt) {
        throw validationFailed([{ field: '/expiresAt', message: 'only a credit (points > 0) can expire' }]);
      }
      return postings.postOne(shopId, customerId, () => ({
        move: input.points > 0
          ? { kind: 'adjust', from: null, to: 'available', points: input.points }
          : { kind: 'adjust', from: 'available', to: null, points: -input.points },
        actor,
        reason: input.reason,
        lotExpiresAt: input.expiresAt ?? null,
        allowNegative: input.allowNegative ?? false,
        ...(input.by ? { metadata: { by: input.by } } : {}),
      }), { consumesLots: input.points < 0 });
    },

    /** D13: recomputes everything from entries; `shopId` null checks every shop. */
    check(shopId: string | null): Promise<CheckReport> {
      return checkLedger(database.db, shopId);
    },
  };
}
