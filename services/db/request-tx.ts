import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, Db, Executor, Tx } from './client.ts';

/**
 * The request transaction, in one place. A mutating request with an `Idempotency-Key` runs its whole handler in
 * one transaction that also stores the response (D15: the effect and the stored answer commit together or not at
 * all). Code running inside it behaves differently, and each such place says so by calling `currentRequestTx()`:
 *
 * - `withTx` joins it as a savepoint instead of opening a transaction (a failed attempt rolls back to the
 *   savepoint, so the retries still work);
 * - `reader` reads through it: a transaction must never wait for a second pooled connection, and it sees its own
 *   writes;
 * - the posting runner (ledger/posting-runner.ts) writes through it, skips the in-process member queue (the
 *   transaction may hold a row a queued task waits for, a cycle PostgreSQL cannot see) and does not turn a
 *   deadlock into the locked path (the transaction is aborted; the request fails and is retried whole);
 * - order events skip their lock-free path (orders/order-events.ts);
 * - caches of what a request changes are cleared again when it ends (`whenRequestTxEnds`): a reader outside it
 *   may have cached the old value after the change cleared it and before the commit.
 *
 * So a service never writes straight to the pool (`repo.write(db, …)`): inside a request that write would wait for
 * a second connection while the transaction holds one (a burst of such requests holds every connection, and every
 * shop's requests wait), and it would commit apart from the stored answer. Writes go through `withTx` or the
 * posting runner; `tests/integration/pool-stall.test.ts` sends every mutating route in such a burst.
 */
const storage = new AsyncLocalStorage<Tx>();
const atEnd = new WeakMap<Tx, (() => void)[]>();

export function currentRequestTx(): Tx | undefined {
  return storage.getStore();
}

/** Runs `work` (and everything it starts) with `tx` as the request transaction. */
export function runInRequestTx<T>(tx: Tx, work: () => T): T {
  return storage.run(tx, work);
}

/** Runs `work` when the request transaction ends, committed or rolled back; at once when there is none. */
export function whenRequestTxEnds(work: () => void): void {
  const tx = storage.getStore();
  if (!tx) return work();
  const list = atEnd.get(tx);
  if (list) list.push(work);
  else atEnd.set(tx, [work]);
}

/** Where a read goes: the request transaction when there is one, else the pool. */
export function reader(db: Db): Executor {
  return storage.getStore() ?? db;
}

export interface OpenTransaction {
  tx: Tx;
  /** Commits or rolls back; the second call waits for the first. */
  finish(commit: boolean): Promise<void>;
}

/** Opens a transaction and keeps it open, across hooks, until `finish` says commit or roll back. */
export async function openTransaction(database: Database): Promise<OpenTransaction> {
  let release!: (commit: boolean) => void;
  const decided = new Promise<boolean>((resolve) => (release = resolve));
  let ready!: (tx: Tx) => void;
  const started = new Promise<Tx>((resolve) => (ready = resolve));
  const rollback = new Error('rollback');
  const finished = database.db
    .transaction(async (tx) => {
      ready(tx);
      if (!(await decided)) throw rollback;
    })
    .then(
      () => undefined,
      (error: unknown) => {
        if (error !== rollback) throw error;
      },
    );
  const tx = await Promise.race([started, finished.then(() => Promise.reject(new Error('transaction did not start')))]);
  let done = false;
  return {
    tx,
    async finish(commit: boolean) {
      if (done) return finished;
      done = true;
      release(commit);
      try {
        return await finished;
      } finally {
        for (const work of atEnd.get(tx) ?? []) work();
        atEnd.delete(tx);
      }
    },
  };
}
