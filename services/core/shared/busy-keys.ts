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
