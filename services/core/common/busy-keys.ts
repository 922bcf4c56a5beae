/**
 * Remembers, for a short while, which members just lost an optimistic write to a concurrent one. A busy member
 * goes straight to its row lock: under contention a lock-free attempt mostly fails and only adds work.
 */
export function busyKeys(windowMs = 2_000, maxEntries = 10_000) {
  const until = new Map<string, number>();
  return {
    isBusy(key: string): boolean {
      const t = until.get(key);
      if (t === undefined) return false;
      if (t > performance.now()) return true;
      until.delete(key);
      return false;
    },
    markBusy(key: string): void {
      if (until.size >= maxEntries) until.delete(until.keys().next().value as string);
      until.set(key, performance.now() + windowMs);
    },
  };
}

/**
 * Runs tasks one at a time per key, in arrival order, within this process. Postings for one member queue here
 * instead of racing each other's version guard (each would read, lose and retry): in one process a hot member's
 * optimistic writes then all succeed, two round trips each and no row lock. Across processes the member's version
 * still decides, and a loser goes to the row lock (busyKeys).
 *
 * Never call it while holding a row lock that a queued task may need: the task would wait for the lock, and the
 * lock's owner for the queue, unseen by PostgreSQL's deadlock detector. Callers inside a transaction skip it.
 */
export function keyedQueue() {
  const tails = new Map<string, Promise<void>>();
  return {
    /** `task` gets whether it waited for an earlier one (anything it read before queueing may be stale). */
    async run<T>(key: string, task: (waited: boolean) => Promise<T>): Promise<T> {
      const before = tails.get(key);
      let done!: () => void;
      const mine = new Promise<void>((resolve) => (done = resolve));
      tails.set(key, mine);
      if (before) await before;
      try {
        return await task(before !== undefined);
      } finally {
        done();
        if (tails.get(key) === mine) tails.delete(key);
      }
    },
    /** Keys with a task running or queued (for tests and metrics). */
    get size(): number {
      return tails.size;
    },
  };
}
