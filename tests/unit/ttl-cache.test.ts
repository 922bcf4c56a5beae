import { describe, expect, it } from 'vitest';
import { ttlCache } from '../../services/core/common/ttl-cache.ts';

describe('ttlCache', () => {
  it('loads once, then answers from memory', async () => {
    const cache = ttlCache<number>(60_000);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('a', load)).toBe(1);
    expect(await cache.get('a', load)).toBe(1);
    expect(loads).toBe(1);
  });

  it('does not keep a value whose load was under way when the entry was cleared', async () => {
    const cache = ttlCache<string>(60_000);
    let finishLoad!: (value: string) => void;
    const slow = cache.get('program', () => new Promise<string>((resolve) => (finishLoad = resolve)));
    cache.delete('program'); // a change committed while the load was reading the old value
    finishLoad('old');
    expect(await slow).toBe('old');
    expect(await cache.get('program', async () => 'new')).toBe('new');
  });

  it('holds at most maxEntries, the oldest going first', async () => {
    const cache = ttlCache<number>(60_000, 2);
    for (const [key, value] of [['a', 1], ['b', 2], ['c', 3]] as const) cache.set(key, value);
    expect([cache.peek('a'), cache.peek('b')?.value, cache.peek('c')?.value]).toEqual([undefined, 2, 3]);
  });

  it('with shareLoads, concurrent misses of one key wait for one load', async () => {
    const cache = ttlCache<number>(60_000, 10, { shareLoads: true });
    let loads = 0;
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const load = async () => {
      loads++;
      await gate;
      return loads;
    };
    const burst = Array.from({ length: 50 }, () => cache.get('secrets', load));
    finish();
    expect(await Promise.all(burst)).toEqual(Array(50).fill(1));
    expect(loads).toBe(1);
    // Without it, each miss loads (a load through a caller's transaction is that caller's alone).
    const own = ttlCache<number>(60_000);
    let ownLoads = 0;
    await Promise.all([own.get('k', async () => ++ownLoads), own.get('k', async () => ++ownLoads)]);
    expect(ownLoads).toBe(2);
  });

  it('with shareLoads, a failed load fails its waiters and the next get loads again', async () => {
    const cache = ttlCache<number>(60_000, 10, { shareLoads: true });
    const failing = () => Promise.reject(new Error('database away'));
    await expect(Promise.all([cache.get('k', failing), cache.get('k', failing)])).rejects.toThrow('database away');
    expect(await cache.get('k', async () => 7)).toBe(7);
  });
});
