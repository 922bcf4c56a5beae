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
});
