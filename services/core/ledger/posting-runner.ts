import type { Database } from '../../db/client.ts';
import { currentRequestTx } from '../../db/request-tx.ts';
import { isRetryable, pgErrorCode, withTx, type Executor, type Tx } from '../../db/tx.ts';
import type { Member } from '../members/member-types.ts';
import { lockMember } from '../members/member-repo.ts';
import type { Clock } from '../common/clock.ts';
import { busyKeys, keyedQueue } from '../common/busy-keys.ts';
import { notFound } from '../common/errors.ts';
import { LOT_PAGE, tryPost, type Posted, type Posting } from './posting.ts';
import { memberSnapshot, type MemberSnapshot } from './posting-repo.ts';

/** The optimistic write was not made: a guard failed (someone else moved the member on). */
export const MISSED = Symbol('missed');
/** The snapshot asks for the locked path (something unusual: the command must see it under locks). */
export const DECLINED = Symbol('declined');

/** lojal_all_or_nothing: a guard of a multi-row write no longer held (migration 0010). */
const GUARD_FAILED = 'LJ001';

/** A command with a lock-free path and a locked one (see `run`). */
export interface Optimistic<S, R> {
  /** The member's key (`shop/customer`) for the in-process queue; a function when the snapshot tells it. */
  key: string | ((snapshot: S) => string);
  /** The unlocked read, in one round trip; null sends the command the locked way. */
  read(executor: Executor): Promise<S | null>;
  /** Plans on the snapshot and writes in one statement guarded by the versions it read. */
  write(executor: Executor, snapshot: S): Promise<R | typeof MISSED | typeof DECLINED>;
  /** The same command under row locks, in a transaction (with withTx's retries): it always decides. */
  locked(): Promise<R>;
}

export type PostingRunner = ReturnType<typeof createPostingRunner>;

/**
 * The one home of "try optimistically, fall back to locks", for every posting (D13). A command reads what it
 * needs without locks, plans, and writes in one statement guarded by the member's version (and whatever else it
 * read): two round trips, no transaction held. It goes the locked way when its snapshot says so, when a guard
 * failed (the member is then marked busy for a moment, so its next postings go straight to the lock: under
 * contention a lock-free attempt mostly fails), or when the write deadlocked with a locked command.
 *
 * This process's postings for one member queue one after another (keyedQueue), so they do not race each other's
 * guard. Inside the request transaction (db/request-tx.ts) the queue is skipped and errors are not turned into the
 * locked path, because that transaction is then aborted.
 */
export function createPostingRunner({ database, clock }: { database: Database; clock: Clock }) {
  const { db } = database;
  const busy = busyKeys();
  const queue = keyedQueue();
  const run = <S, R>(spec: Optimistic<S, R>) => runOptimistic(spec, { db, busy, queue });

  return {
    run,
    /** Whether the member just lost an optimistic write (and posts under its row lock for a moment). */
    isBusy: (key: string) => busy.isBusy(key),

    /** Runs `work` in one transaction with the member's row locked. Throws not_found. */
    withMember<T>(shopId: string, customerId: string, work: (tx: Tx, member: Member, now: Date) => Promise<T>): Promise<T> {
      return withTx(db, async (tx) => {
        const member = await lockMember(tx, shopId, customerId);
        if (!member) throw notFound('Member');
        return work(tx, member, clock.now());
      });
    },

    /**
     * One posting for one member, made by `make` from the member as read. A credit reads no lots (it only adds
     * one, and repays debt from it). Throws not_found, insufficient_points.
     */
    postOne(shopId: string, customerId: string, make: (member: Member) => Posting, { consumesLots = true } = {}): Promise<Posted> {
      const lotPage = consumesLots ? LOT_PAGE : 0;
      const attempt = async (executor: Executor, snapshot: MemberSnapshot) =>
        tryPost(executor, snapshot.member, make(snapshot.member), clock.now(), consumesLots ? snapshot.lots : undefined);
      return run<MemberSnapshot, Posted>({
        key: `${shopId}/${customerId}`,
        read: (executor) => memberSnapshot(executor, shopId, customerId, lotPage),
        write: async (executor, snapshot) => (await attempt(executor, snapshot)) ?? MISSED,
        locked: () =>
          withTx(db, async (tx) => {
            const snapshot = await memberSnapshot(tx, shopId, customerId, lotPage, true);
            if (!snapshot) throw notFound('Member');
            const posted = await attempt(tx, snapshot);
            if (!posted) throw new Error(`ledger invariant: member ${snapshot.member.id} changed under its row lock`);
            return posted;
          }),
      });
    },
  };
}

const LOCKED = Symbol('locked');

interface RunnerState {
  db: Database['db'];
  busy: ReturnType<typeof busyKeys>;
  queue: ReturnType<typeof keyedQueue>;
}

async function runOptimistic<S, R>(spec: Optimistic<S, R>, state: RunnerState): Promise<R> {
  const executor = currentRequestTx() ?? state.db;
  const attempt = async (key: string, snapshot: S | null) => {
    if (snapshot === null || state.busy.isBusy(key)) return LOCKED;
    return write(spec, executor, snapshot, key, state);
  };
  let result: R | typeof LOCKED;
  if (typeof spec.key === 'string') {
    const key = spec.key;
    result = await serially(state, key, async () => (state.busy.isBusy(key) ? LOCKED : attempt(key, await spec.read(executor))));
  } else {
    // The key is in the snapshot: read, queue, and read again if an earlier task ran meanwhile.
    const first = await spec.read(executor);
    if (first === null) return spec.locked();
    const key = spec.key(first);
    result = await serially(state, key, async (waited) => attempt(key, waited ? await spec.read(executor) : first));
  }
  return result === LOCKED ? spec.locked() : result;
}

/** Runs `task` after this process's earlier tasks for `key`; inside the request transaction, at once. */
function serially<T>(state: RunnerState, key: string, task: (waited: boolean) => Promise<T>): Promise<T> {
  return currentRequestTx() ? task(false) : state.queue.run(key, task);
}

async function write<S, R>(spec: Optimistic<S, R>, executor: Executor, snapshot: S, key: string, state: RunnerState): Promise<R | typeof LOCKED> {
  try {
    const result = await spec.write(executor, snapshot);
    if (result === MISSED) state.busy.markBusy(key);
    return result === MISSED || result === DECLINED ? LOCKED : result;
  } catch (error) {
    // A lost all-or-nothing guard, or a deadlock with a locked command (which takes its locks in another order):
    // the locked path, with its retries, decides.
    if (!currentRequestTx() && (pgErrorCode(error) === GUARD_FAILED || isRetryable(error))) return LOCKED;
    throw error;
  }
}
