import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx } from '../../db/tx.ts';
import { LOT_PAGE, post, tryPost } from '../ledger/posting.ts';
import { redemptionSnapshot } from '../ledger/posting-repo.ts';
import { DECLINED, MISSED, type PostingRunner } from '../ledger/posting-runner.ts';
import { lockMemberById } from '../members/member-repo.ts';
import type { ProgramService } from '../program/program-service.ts';
import type { ProgramSettings } from '../program/program-types.ts';
import type { Clock } from '../common/clock.ts';
import { DomainError, notFound, outOfRange, validationFailed } from '../common/errors.ts';
import { inRange } from '../common/money.ts';
import { newId } from '../common/ids.ts';
import { commitPosting, type RedemptionLedger } from './redemption-ledger.ts';
import * as repo from './redemption-repo.ts';
import type { Redemption } from './redemption-types.ts';

/** What the redemption commands need. */
export interface RedemptionDeps {
  database: Database;
  clock: Clock;
  program: ProgramService;
  postings: PostingRunner;
  redemptionLedger: RedemptionLedger;
}

type CommitSnapshot = NonNullable<Awaited<ReturnType<typeof redemptionSnapshot>>>;

/** D6 hold at checkout: with a cart in one locked transaction, without one in one guarded statement. */
export async function holdPoints(deps: RedemptionDeps, shopId: string, customerId: string, points: number, cartId: string | null, actor: string): Promise<Redemption> {
  const settings = await deps.program.get(shopId);
  if (points < Math.max(settings.redemption.minPoints, 1)) {
    throw validationFailed([{ field: '/points', message: `must be at least minPoints (${settings.redemption.minPoints})` }]);
  }
  // D1: the hold records its money value (points × pointValue), which must stay exact.
  if (!inRange(points * settings.redemption.pointValue)) throw outOfRange('The value of the points held');
  return cartId ? holdForCart(deps, shopId, customerId, points, cartId, actor) : holdAlone(deps, shopId, customerId, points, actor);
}

/** A hold of a cart, in one transaction: the cart's earlier holds go back first (the shopper changed their mind). */
function holdForCart({ postings, program, redemptionLedger }: RedemptionDeps, shopId: string, customerId: string, points: number, cartId: string, actor: string): Promise<Redemption> {
  return postings.withMember(shopId, customerId, async (tx, member, now) => {
    let current = member;
    for (const earlier of await repo.heldForCart(tx, shopId, member.id, cartId)) {
      await redemptionLedger.releaseHold(tx, earlier, 'released', actor);
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
async function holdAlone({ postings, program, clock }: RedemptionDeps, shopId: string, customerId: string, points: number, actor: string): Promise<Redemption> {
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
export function commitHold({ postings, clock, database, redemptionLedger }: RedemptionDeps, shopId: string, id: string, orderId: string, actor: string): Promise<Redemption> {
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
      const outcome = await withTx(database.db, (tx) => redemptionLedger.commitIn(tx, shopId, id, orderId, actor));
      if (outcome === 'missing') throw notFound('Redemption');
      if (outcome === 'expired') throw new DomainError('hold_expired', 'The hold expired or was released; hold the points again');
      if (outcome === 'conflict') throw new DomainError('conflict', 'The redemption is committed to another order');
      return (await repo.findRedemption(reader(database.db), shopId, id))!;
    },
  });
}

/** A hold's amount and expiry, by the program's redemption terms. */
function terms(settings: ProgramSettings, points: number, now: Date) {
  return { amount: points * settings.redemption.pointValue, currency: settings.currency, expiresAt: new Date(now.getTime() + settings.redemption.holdMinutes * 60_000) };
}

function newHold(shopId: string, memberId: string, hold: repo.NewHold, now: Date): Redemption {
  return { shopId, memberId, ...hold, status: 'held', orderId: null, commitEntryId: null, restoredPoints: 0, createdAt: now, updatedAt: now };
}
