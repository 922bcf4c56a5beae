/**
 * A small per-process cache with a time limit, for settings read on every request (API keys, program, rules).
 * Writes through this process clear their entry at once; other processes see a change within `ttlMs`.
 * Real time, not the injected clock: it bounds staleness, it decides nothing about points.
 */
export function ttlCache<V>(ttlMs: number, maxEntries = 10_000, { shareLoads = false }: { shareLoads?: boolean } = {}) {
  const entries = new Map<string, { value: V; at: number }>();
  // `shareLoads`: concurrent misses of one key wait for one load (a burst on a cold entry is one query, not one
  // each). Only for loads that read through no caller's transaction, whose view another caller must not get.
  const loading = new Map<string, Promise<V>>();
  // Bumped by every delete: a load that was under way meanwhile may have read the old value, so it is not kept.
  let epoch = 0;
  const cache = {
    /** The fresh entry, if any; loads nothing. */
    peek(key: string): { value: V } | undefined {
      const hit = entries.get(key);
      return hit && performance.now() - hit.at < ttlMs ? hit : undefined;
    },
    set(key: string, value: V): void {
      entries.delete(key);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, at: performance.now() });
    },
    async get(key: string, load: () => Promise<V>): Promise<V> {
      const hit = cache.peek(key);
      if (hit) return hit.value;
      const shared = loading.get(key);
      if (shared) return shared;
      const started = epoch;
      const loaded = load().then((value) => {
        if (epoch === started) cache.set(key, value);
        return value;
      });
      if (!shareLoads) return loaded;
      loading.set(key, loaded);
      try {
        return await loaded;
      } finally {
        if (loading.get(key) === loaded) loading.delete(key);
      }
    },
    delete(key: string): void {
      epoch++;
      entries.delete(key);
      loading.delete(key);
    },
    clear(): void {
      epoch++;
      entries.clear();
      loading.clear();
    },
  };
  return cache;
}

export const SETTINGS_CACHE_MS = 5_000;
