import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { isRetryable, reader, requestTx, withTx, type Executor, type Tx } from '../../db/tx.ts';
import { movementsOf } from '../ledger/ledger-repo.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import { LOT_PAGE, post, tryPost } from '../ledger/ledger-writer.ts';
import type { LotTake } from '../ledger/ledger-types.ts';
import * as memberRepo from '../members/member-repo.ts';
import type { Member } from '../members/member-types.ts';
import type { ProgramService } from '../program/program-service.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError, notFound, validationFailed } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import * as repo from './redemption-repo.ts';
import { planRestore, quote, type Quote } from './redemption-rules.ts';

export type RedemptionService = ReturnType<typeof createRedemptionService>;
const RELEASE_CHUNK = 200;
const DAY_MS = 86_400_000;

interface Deps {
  database: Database;
  clock: Clock;
  program: ProgramService;
  ledger: LedgerService;
}

export function createRedemptionService({ database, clock, program, ledger }: Deps) {
  const { db } = database;
  // Shared with the ledger's postings: a member busy with holds is busy for commits too.
  const busy = ledger.busy;

  async function memberOf(tx: Tx, r: repo.Redemption): Promise<Member> {
    const member = await memberRepo.lockMemberById(tx, r.shopId, r.memberId);
    if (!member) throw new Error(`redemption ${r.id} names a missing member`);
    return member;
  }

  /** held → available, the hold marked `status` (released by a person, expired by its TTL). */
  async function releaseHold(tx: Tx, r: repo.Redemption, status: 'released' | 'expired', actor: string): Promise<void> {
    const now = clock.now();
    await post(tx, await memberOf(tx, r), { move: { kind: 'release', from: 'held', to: 'available', points: r.points }, actor, redemptionId: r.id }, now);
    await repo.saveRedemption(tx, { ...r, status, updatedAt: now });
    r.status = status;
  }

  /**
   * Commits a hold for an order inside `tx`: held points are burnt against lots soonest-expiring first. Returns
   * what happened; an expired hold is released here (and stays released) and reported as 'expired'.
   */
  async function commitIn(tx: Tx, shopId: string, id: string, orderId: string, actor: string): Promise<'committed' | 'expired' | 'conflict' | 'missing'> {
    // The hold, its member and the member's first lots, locked, in one round trip.
    const snap = await repo.redemptionSnapshot(tx, shopId, id, LOT_PAGE, true);
    if (!snap) return 'missing';
    const r = snap.redemption;
    if (r.status === 'committed') return r.orderId === orderId ? 'committed' : 'conflict';
    if (r.status !== 'held') return 'expired';
    const now = clock.now();
    if (r.expiresAt <= now) {
      await releaseHold(tx, r, 'expired', 'system');
      return 'expired';
    }
    const posted = await tryPost(
      tx,
      snap.member,
      { move: { kind: 'commit', from: 'held', to: null, points: r.points }, actor, redemptionId: r.id, orderId, redemption: { kind: 'commit', id: r.id, orderId } },
      now,
      snap.lots,
    );
    if (!posted) throw new Error(`ledger invariant: member ${snap.member.id} changed under its row lock`);
    return 'committed';
  }

  /** D6 restore: `points` more of a committed redemption back into the lots they came from (grace for expired ones). */
  async function restoreIn(tx: Tx, shopId: string, id: string, points: number, refundId: string | null): Promise<number> {
    const r = await repo.lockRedemption(tx, shopId, id);
    if (!r || r.status !== 'committed' || !r.commitEntryId) return 0;
    const give = Math.min(points, r.points - r.restoredPoints);
    if (give <= 0) return 0;
    const consumed = (await movementsOf(tx, shopId, [r.commitEntryId])).map((m) => ({ lotId: m.lotId, points: -m.points }));
    const takes = planRestore(consumed, await restoredSoFar(tx, r), give);
    const settings = await program.get(shopId, tx);
    const now = clock.now();
    await post(
      tx,
      await memberOf(tx, r),
      {
        move: { kind: 'restore', from: null, to: 'available', points: give },
        actor: 'storefront',
        redemptionId: r.id,
        orderId: r.orderId,
        refundId,
        restoreTo: { takes, graceUntil: new Date(now.getTime() + settings.restoreGraceDays * DAY_MS) },
        metadata: { takes },
      },
      now,
    );
    await repo.saveRedemption(tx, { ...r, restoredPoints: r.restoredPoints + give, updatedAt: now });
    return give;
  }

  /** What earlier restores of this redemption gave back, per original lot (kept in their entries' metadata). */
  async function restoredSoFar(tx: Tx, r: repo.Redemption): Promise<Map<string, number>> {
    const rows = await tx.execute<{ metadata: { takes?: LotTake[] } | null }>(
      sql`SELECT metadata FROM ledger_entries WHERE shop_id = ${r.shopId} AND redemption_id = ${r.id} AND kind = 'restore'`,
    );
    const sofar = new Map<string, number>();
    for (const { metadata } of rows.rows) for (const t of metadata?.takes ?? []) sofar.set(t.lotId, (sofar.get(t.lotId) ?? 0) + t.points);
    return sofar;
  }

  /**
   * The usual commit in one statement: read the hold with its member and lots, burn, guarded by the member's
   * version; this process's postings for the member queue one after another (keyedQueue), re-reading when they
   * waited. Anything unusual (expired, released, committed already, a race lost to another process) goes the
   * locked way: null.
   */
  async function commitOptimistic(shopId: string, id: string, orderId: string, actor: string): Promise<repo.Redemption | null> {
    const ambient = requestTx.getStore();
    const read = () => repo.redemptionSnapshot(ambient ?? db, shopId, id, LOT_PAGE);
    const first = await read();
    if (!first || first.redemption.status !== 'held') return null;
    const key = `${shopId}/${first.redemption.customerId}`;
    const attempt = async (waited: boolean) => {
      if (busy.isBusy(key)) return null;
      const snap = waited ? await read() : first;
      const now = clock.now();
      if (!snap || snap.redemption.status !== 'held' || snap.redemption.expiresAt <= now) return null;
      const commit = {
        move: { kind: 'commit', from: 'held', to: null, points: snap.redemption.points },
        actor,
        redemptionId: id,
        orderId,
        redemption: { kind: 'commit', id, orderId },
      } as const;
      // A deadlock with a locked command (a cancel locks the redemption, then the member; this statement the other
      // way round) is a lost race like any other: the locked path, with its retries, decides.
      const posted = await tryPost(ambient ?? db, snap.member, commit, now, snap.lots).catch((error: unknown) => {
        if (!ambient && isRetryable(error)) return null;
        throw error;
      });
      if (posted) return { ...snap.redemption, status: 'committed' as const, orderId, commitEntryId: posted.entry.id, updatedAt: now };
      busy.markBusy(key);
      return null;
    };
    return ledger.serially(key, attempt);
  }

  return {
    commitIn,
    restoreIn,

    findIn(tx: Executor, shopId: string, id: string): Promise<repo.Redemption | null> {
      return repo.findRedemption(tx, shopId, id);
    },

    /** Releases a hold inside `tx` if it is still held (an order carrying it was cancelled). */
    async releaseIn(tx: Tx, shopId: string, id: string): Promise<boolean> {
      const r = await repo.lockRedemption(tx, shopId, id);
      if (!r || r.status !== 'held') return false;
      await releaseHold(tx, r, 'released', 'storefront');
      return true;
    },

    /** Throws not_found, currency_mismatch. */
    async quote(shopId: string, customerId: string, orderTotal: { amount: number; currency: string }): Promise<Quote> {
      const settings = await program.get(shopId);
      if (orderTotal.currency !== settings.currency) {
        throw new DomainError('currency_mismatch', `Redemptions are in the program's currency, ${settings.currency}`);
      }
      const member = await memberRepo.findMember(reader(db), shopId, customerId);
      if (!member) throw notFound('Member');
      return quote(member.balance.available, orderTotal.amount, settings.redemption);
    },

    /**
     * D6 hold: points leave the available balance at once, for `holdMinutes`. A new hold for a cart releases the
     * cart's earlier one (the shopper changed their mind in another tab). Throws not_found, validation_failed,
     * insufficient_points.
     */
    async hold(shopId: string, customerId: string, points: number, cartId: string | null, actor: string): Promise<repo.Redemption> {
      const settings = await program.get(shopId);
      if (points < Math.max(settings.redemption.minPoints, 1)) {
        throw validationFailed([{ field: '/points', message: `must be at least minPoints (${settings.redemption.minPoints})` }]);
      }
      const amount = points * settings.redemption.pointValue;
      const expiresIn = settings.redemption.holdMinutes * 60_000;
      if (!cartId) {
        // One statement, no lock held across round trips: the hold and its row, guarded by the member's version.
        const id = newId('red', clock.now().getTime());
        const expiresAt = new Date(clock.now().getTime() + expiresIn);
        const posted = await ledger.postOne(
          shopId,
          customerId,
          () => ({
            move: { kind: 'hold', from: 'available', to: 'held', points },
            actor,
            redemptionId: id,
            redemption: { kind: 'insert', id, customerId, cartId: null, points, amount, currency: settings.currency, expiresAt },
          }),
          { consumesLots: false },
        );
        const now = posted.entry.createdAt;
        return {
          shopId, id, memberId: posted.member.id, customerId, cartId: null, points, amount, currency: settings.currency,
          status: 'held', orderId: null, expiresAt, commitEntryId: null,
          restoredPoints: 0, createdAt: now, updatedAt: now,
        };
      }
      return ledger.withMember(shopId, customerId, async (tx, member, now) => {
        let current = member;
        if (cartId) {
          for (const earlier of await repo.heldForCart(tx, shopId, member.id, cartId)) {
            await releaseHold(tx, earlier, 'released', actor);
            current = (await memberRepo.lockMemberById(tx, shopId, member.id))!;
          }
        }
        const id = newId('red', now.getTime());
        await post(tx, current, { move: { kind: 'hold', from: 'available', to: 'held', points }, actor, redemptionId: id }, now);
        const redemption: repo.Redemption = {
          shopId,
          id,
          memberId: member.id,
          customerId,
          cartId,
          points,
          amount: points * settings.redemption.pointValue,
          currency: settings.currency,
          status: 'held',
          orderId: null,
          expiresAt: new Date(now.getTime() + settings.redemption.holdMinutes * 60_000),
          commitEntryId: null,
          restoredPoints: 0,
          createdAt: now,
          updatedAt: now,
        };
        await repo.insertRedemption(tx, redemption);
        return redemption;
      });
    },

    /** Throws not_found, hold_expired, conflict (committed to another order). */
    async commit(shopId: string, id: string, orderId: string, actor: string): Promise<repo.Redemption> {
      const fast = await commitOptimistic(shopId, id, orderId, actor);
      if (fast) return fast;
      const outcome = await withTx(db, (tx) => commitIn(tx, shopId, id, orderId, actor));
      if (outcome === 'missing') throw notFound('Redemption');
      if (outcome === 'expired') throw new DomainError('hold_expired', 'The hold expired or was released; hold the points again');
      if (outcome === 'conflict') throw new DomainError('conflict', 'The redemption is committed to another order');
      return (await repo.findRedemption(reader(db), shopId, id))!;
    },

    /** Releases a hold; releasing twice is the same. Throws not_found, conflict (already committed). */
    async cancel(shopId: string, id: string, actor: string): Promise<repo.Redemption> {
      return withTx(db, async (tx) => {
        const r = await repo.lockRedemption(tx, shopId, id);
        if (!r) throw notFound('Redemption');
        if (r.status === 'committed') throw new DomainError('conflict', 'The redemption is committed; refund the order to give points back');
        if (r.status === 'held') await releaseHold(tx, r, 'released', actor);
        return r;
      });
    },

    /** Throws not_found. */
    async get(shopId: string, id: string): Promise<repo.Redemption> {
      const r = await repo.findRedemption(reader(db), shopId, id);
      if (!r) throw notFound('Redemption');
      return r;
    },

    /** D6: returns the points of every hold past its TTL by `asOf`; idempotent, in chunks. */
    async releaseExpired(shopId: string | null, asOf: Date, dryRun = false): Promise<{ released: number; points: number }> {
      let released = 0;
      let points = 0;
      for (;;) {
        const due = await repo.expiredHolds(reader(db), shopId, asOf, RELEASE_CHUNK);
        if (dryRun) return { released: due.length, points: 0 };
        for (const { shopId: s, id } of due) {
          await withTx(db, async (tx) => {
            const r = await repo.lockRedemption(tx, s, id);
            if (!r || r.status !== 'held' || r.expiresAt > asOf) return;
            await releaseHold(tx, r, 'expired', 'release-holds');
            released++;
            points += r.points;
          });
        }
        if (due.length < RELEASE_CHUNK) return { released, points };
      }
    },
  };
}
