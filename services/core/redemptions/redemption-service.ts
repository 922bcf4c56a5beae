import { reader } from '../../db/request-tx.ts';
import { withTx } from '../../db/tx.ts';
import { findMember } from '../members/member-repo.ts';
import { DomainError, notFound } from '../common/errors.ts';
import { sweepInChunks } from '../common/sweep.ts';
import { commitHold, holdPoints, type RedemptionDeps } from './redemption-checkout.ts';
import * as repo from './redemption-repo.ts';
import { quote, type Quote } from './redemption-rules.ts';
import type { Redemption } from './redemption-types.ts';

export type RedemptionService = ReturnType<typeof createRedemptionService>;
const RELEASE_CHUNK = 200;
const MAX_CHUNKS_PER_RUN = 1_000;

/** Redemption at checkout (D6): quote, hold, commit, cancel; and the release of holds past their TTL. */
export function createRedemptionService(deps: RedemptionDeps) {
  const { database, program, redemptionLedger } = deps;
  const { db } = database;
  const { releaseHold } = redemptionLedger;

  return {
    /** Throws not_found, currency_mismatch. */
    async quote(shopId: string, customerId: string, orderTotal: { amount: number; currency: string }): Promise<Quote> {
      const settings = await program.get(shopId);
      if (orderTotal.currency !== settings.currency) {
        throw new DomainError('currency_mismatch', `Redemptions are in the program's currency, ${settings.currency}`);
      }
      const member = await findMember(reader(db), shopId, customerId);
      if (!member) throw notFound('Member');
      return quote(member.balance.available, orderTotal.amount, settings.redemption);
    },

    /**
     * D6 hold: points leave the available balance at once, for `holdMinutes`; a new hold for a cart releases the
     * cart's earlier one. Throws not_found, validation_failed, insufficient_points, out_of_range.
     */
    hold: (shopId: string, customerId: string, points: number, cartId: string | null, actor: string) =>
      holdPoints(deps, shopId, customerId, points, cartId, actor),

    /** Throws not_found, hold_expired, conflict (committed to another order). */
    commit: (shopId: string, id: string, orderId: string, actor: string) => commitHold(deps, shopId, id, orderId, actor),

    /** Releases a hold; releasing twice is the same. Throws not_found, conflict (already committed). */
    async cancel(shopId: string, id: string, actor: string): Promise<Redemption> {
      return withTx(db, async (tx) => {
        const r = await repo.lockRedemption(tx, shopId, id);
        if (!r) throw notFound('Redemption');
        if (r.status === 'committed') throw new DomainError('conflict', 'The redemption is committed; refund the order to give points back');
        if (r.status === 'held') await releaseHold(tx, r, 'released', actor);
        return r;
      });
    },

    /** Throws not_found. */
    async get(shopId: string, id: string): Promise<Redemption> {
      const r = await repo.findRedemption(reader(db), shopId, id);
      if (!r) throw notFound('Redemption');
      return r;
    },

    /**
     * D6: returns the points of every hold past its TTL by `asOf`; idempotent, in chunks. A dry run counts, in one
     * statement, exactly what a run would release: every expired hold up to the run's bound, and their points.
     */
    async releaseExpired(shopId: string | null, asOf: Date, dryRun = false): Promise<{ released: number; points: number }> {
      if (dryRun) return repo.countExpiredHolds(reader(db), shopId, asOf, RELEASE_CHUNK * MAX_CHUNKS_PER_RUN);
      const counts = { released: 0, points: 0 };
      await sweepInChunks(async (limit) => {
        const due = await repo.expiredHolds(reader(db), shopId, asOf, limit);
        for (const { shopId: s, id } of due) {
          await withTx(db, async (tx) => {
            const r = await repo.lockRedemption(tx, s, id);
            if (!r || r.status !== 'held' || r.expiresAt > asOf) return;
            await releaseHold(tx, r, 'expired', 'release-holds');
            counts.released++;
            counts.points += r.points;
          });
        }
        return due.length;
      }, { chunk: RELEASE_CHUNK, maxChunks: MAX_CHUNKS_PER_RUN });
      return counts;
    },
  };
}

