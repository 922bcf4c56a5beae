import type { Database } from '../../db/client.ts';
import { requestTx, withTx, type Tx } from '../../db/tx.ts';
import { lockMember } from '../members/member-repo.ts';
import type { Member } from '../members/member-types.ts';
import type { Clock } from '../shared/clock.ts';
import { busyKeys, keyedQueue } from '../shared/busy-keys.ts';
import { notFound, validationFailed } from '../shared/errors.ts';
import { checkLedger, type CheckReport } from './ledger-check.ts';
import { memberSnapshot } from './ledger-repo.ts';
import { LOT_PAGE, tryPost, type Posted, type Posting } from './ledger-writer.ts';

export type LedgerService = ReturnType<typeof createLedgerService>;


export interface AdjustmentInput {
  points: number;
  reason: string;
  expiresAt?: Date | null;
  allowNegative?: boolean;
}

export function createLedgerService({ database, clock }: { database: Database; clock: Clock }) {
  const { db } = database;
  const busy = busyKeys();
  const serial = keyedQueue();

  /** Runs `work` in one transaction with the member's row locked: the only way balances change. */
  async function withMember<T>(shopId: string, customerId: string, work: (tx: Tx, member: Member, now: Date) => Promise<T>): Promise<T> {
    return withTx(db, async (tx) => {
      const member = await lockMember(tx, shopId, customerId);
      if (!member) throw notFound('Member');
      return work(tx, member, clock.now());
    });
  }

  /**
   * One posting for one member in one statement, without holding a lock: read the member with its first lots,
   * plan, write guarded by the member's version. This process's postings for one member queue one after another
   * (keyedQueue), so they do not race each other. A concurrent posting from elsewhere makes the write miss; after a
   * miss (a busy member) it takes the row lock, so it always finishes and never double-spends (D13).
   */
  async function postOne(
    shopId: string,
    customerId: string,
    make: (member: Member) => Posting,
    { consumesLots = true }: { consumesLots?: boolean } = {},
  ): Promise<Posted> {
    const ambient = requestTx.getStore();
    const key = `${shopId}/${customerId}`;
    const attempt = async (): Promise<Posted> => {
      if (!busy.isBusy(key)) {
        // A credit reads no lots: it only adds one (and repays debt from it).
        const snapshot = await memberSnapshot(ambient ?? db, shopId, customerId, consumesLots ? LOT_PAGE : 0);
        if (!snapshot) throw notFound('Member');
        const posted = await tryPost(ambient ?? db, snapshot.member, make(snapshot.member), clock.now(), consumesLots ? snapshot.lots : undefined);
        if (posted) return posted;
        busy.markBusy(key);
      }
      // Another process (or a locked command) posts for the member too: queue on its row lock, reading it and its
      // first lots in the same round trip.
      return withTx(db, async (tx) => {
        const locked = await memberSnapshot(tx, shopId, customerId, consumesLots ? LOT_PAGE : 0, true);
        if (!locked) throw notFound('Member');
        const posted = await tryPost(tx, locked.member, make(locked.member), clock.now(), consumesLots ? locked.lots : undefined);
        if (!posted) throw new Error(`ledger invariant: member ${locked.member.id} changed under its row lock`);
        return posted;
      });
    };
    return serially(key, attempt);
  }

  /**
   * Runs a member's optimistic posting after this process's earlier ones for the same key (keyedQueue); `task`
   * learns whether it waited. Inside a request's transaction the queue is skipped: that transaction may hold the
   * row a queued task needs.
   */
  function serially<T>(key: string, task: (waited: boolean) => Promise<T>): Promise<T> {
    return requestTx.getStore() ? task(false) : serial.run(key, task);
  }

  return {
    withMember,
    postOne,
    /** Members that just lost an optimistic write (see busy-keys.ts). */
    busy,
    serially,

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
      return postOne(shopId, customerId, () => ({
        move: input.points > 0
          ? { kind: 'adjust', from: null, to: 'available', points: input.points }
          : { kind: 'adjust', from: 'available', to: null, points: -input.points },
        actor,
        reason: input.reason,
        lotExpiresAt: input.expiresAt ?? null,
        allowNegative: input.allowNegative ?? false,
      }), { consumesLots: input.points < 0 });
    },

    /** D13: recomputes everything from entries; `shopId` null checks every shop. */
    check(shopId: string | null): Promise<CheckReport> {
      return checkLedger(db, shopId);
    },
  };
}
