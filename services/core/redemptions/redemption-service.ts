import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx } from '../../db/tx.ts';
import { LOT_PAGE, post, tryPost } from '../ledger/posting.ts';
import { redemptionSnapshot } from '../ledger/posting-repo.ts';
import { DECLINED, MISSED, type PostingRunner } from '../ledger/posting-runner.ts';
import { findMember, lockMemberById } from '../members/member-repo.ts';
import type { ProgramService } from '../program/program-service.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError, notFound, validationFailed } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { sweepInChunks } from '../shared/sweep.ts';
import { commitPosting, type RedemptionLedger } from './redemption-ledger.ts';
import * as repo from './redemption-repo.ts';
import { quote, type Quote } from './redemption-rules.ts';
import type { Redemption } from './redemption-types.ts';

export type RedemptionService = ReturnType<typeof createRedemptionService>;
type CommitSnapshot = NonNullable<Awaited<ReturnType<typeof redemptionSnapshot>>>;
const RELEASE_CHUNK = 200;
const MAX_CHUNKS_PER_RUN = 1_000;

interface Deps {
  database: Database;
  clock: Clock;
  program: ProgramService;
  postings: PostingRunner;
  redemptionLedger: RedemptionLedger;
}

export function createRedemptionService({ database, clock, program, postings, redemptionLedger }: Deps) {
  const { db } = database;
  const { releaseHold, commitIn } = redemptionLedger;

  /** A hold of a cart, in one transaction: the cart's earlier holds go back first (the shopper changed their mind). */
  function holdForCart(shopId: string, customerId: string, points: number, cartId: string, actor: string): Promise<Redemption> {
    return postings.withMember(shopId, customerId, async (tx, member, now) => {
      let current = member;
      for (const earlier of await repo.heldForCart(tx, shopId, member.id, cartId)) {
        await releaseHold(tx, earlier, 'released', actor);
        current = (await lockMemberById(tx, shopId, member.id))!;
      }
      const settings = await program.get(shopId, tx);
      const id = newId('red', now.getTime());
      await post(tx, current, { move: { kind: 'hold', from: 'available', to: 'held', points }, actor, redemptionId: id }, now);
      const redemption = newHold(shopId, member.id, { id, customerId, cartId, points, ...terms(settings, points, now) }, now);
      await repo.insertRedemption(tx, redemption);
      return redemption;
    });
  }

  /** A hold with no cart in one statement, no lock held across round trips: guarded by the member's version. */
  async function holdAlone(shopId: string, customerId: string, points: number, actor: string): Promise<Redemption> {
    const settings = await program.get(shopId);
    const id = newId('red', clock.now().getTime());
    const hold = { id, customerId, cartId: null, points, ...terms(settings, points, clock.now()) };
    const posted = await postings.postOne(
      shopId,
      customerId,
      () => ({ move: { kind: 'hold', from: 'available', to: 'held', points }, actor, redemptionId: id, attach: repo.heldRows(hold) }),
      { consumesLots: false },
    );
    return newHold(shopId, posted.member.id, hold, posted.entry.createdAt);
  }

  /** The usual commit lock-free (see posting-runner.ts); anything unusual goes the locked way, through commitIn. */
  function commitOptimistically(shopId: string, id: string, orderId: string, actor: string): Promise<Redemption> {
    return postings.run<CommitSnapshot, Redemption>({
      key: (snap) => `${shopId}/${snap.redemption.customerId}`,
      read: async (executor) => {
        const snap = await redemptionSnapshot(executor, shopId, id, LOT_PAGE);
        return snap?.redemption.status === 'held' ? snap : null;
      },
      async write(executor, snap) {
        const now = clock.now();
        if (snap.redemption.expiresAt <= now) return DECLINED;
        const posted = await tryPost(executor, snap.member, commitPosting(snap.redemption, orderId, actor), now, snap.lots);
        if (!posted) return MISSED;
        return { ...snap.redemption, status: 'committed' as const, orderId, commitEntryId: posted.entry.id, updatedAt: now };
      },
      locked: async () => {
        const outcome = await withTx(db, (tx) => commitIn(tx, shopId, id, orderId, actor));
        if (outcome === 'missing') throw notFound('Redemption');
        if (outcome === 'expired') throw new DomainError('hold_expired', 'The hold expired or was released; hold the points again');
        if (outcome === 'conflict') throw new DomainError('conflict', 'The redemption is committed to another order');
        return (await repo.findRedemption(reader(db), shopId, id))!;
      },
    });
  }

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
     * D6 hold: points leave the available balance at once, for `holdMinutes`. A new hold for a cart releases the
     * cart's earlier one (the shopper changed their mind in another tab). Throws not_found, validation_failed,
     * insufficient_points.
     */
    async hold(shopId: string, customerId: string, points: number, cartId: string | null, actor: string): Promise<Redemption> {
      const settings = await program.get(shopId);
      if (points < Math.max(settings.redemption.minPoints, 1)) {
        throw validationFailed([{ field: '/points', message: `must be at least minPoints (${settings.redemption.minPoints})` }]);
      }
      return cartId ? holdForCart(shopId, customerId, points, cartId, actor) : holdAlone(shopId, customerId, points, actor);
    },

    /** Throws not_found, hold_expired, conflict (committed to another order). */
    commit: commitOptimistically,

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

    /** D6: returns the points of every hold past its TTL by `asOf`; idempotent, in chunks. */
    async releaseExpired(shopId: string | null, asOf: Date, dryRun = false): Promise<{ released: number; points: number }> {
      if (dryRun) return { released: (await repo.expiredHolds(reader(db), shopId, asOf, RELEASE_CHUNK)).length, points: 0 };
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

/** A hold's amount and expiry, by the program's redemption terms. */
function terms(settings: Awaited<ReturnType<ProgramService['get']>>, points: number, now: Date) {
  return { amount: points * settings.redemption.pointValue, currency: settings.currency, expiresAt: new Date(now.getTime() + settings.redemption.holdMinutes * 60_000) };
}

function newHold(shopId: string, memberId: string, hold: repo.NewHold, now: Date): Redemption {
  return { shopId, memberId, ...hold, status: 'held', orderId: null, commitEntryId: null, restoredPoints: 0, createdAt: now, updatedAt: now };
}
