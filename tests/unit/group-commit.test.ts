import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../services/core/common/group-commit.ts';

/** A statement that answers each item by doubling it, after `ms`, and records the batches it was given. */
function doubler(ms = 5, failWhen: (items: number[]) => boolean = () => false) {
  const batches: number[][] = [];
  const run = async (items: number[]) => {
    batches.push(items);
    await new Promise((r) => setTimeout(r, ms));
    if (failWhen(items)) throw new Error(`bad batch ${items.join(',')}`);
    return items.map((i) => i * 2);
  };
  return { run, batches };
}

/**
 * Resolves once the statement of the items submitted so far has gone: group commit sends it from a setImmediate,
 * and immediates run in order. (A timer raced it: on a busy machine a 1 ms timer could fire first, and the test
 * then saw the items it meant to submit later join the first statement.)
 */
const sent = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('an item alone goes at once, alone', async () => {
    const { run, batches } = doubler();
    const commit = groupCommit(run, { concurrency: 2, maxBatch: 10 });
    expect(await commit.submit(21)).toBe(42);
    expect(batches).toEqual([[21]]);
  });

  it('items arriving while statements are in flight share the next one, each answered on its own', async () => {
    const { run, batches } = doubler(20);
    const commit = groupCommit(run, { concurrency: 1, maxBatch: 100 });
    const first = commit.submit(0);
    await sent(); // the first statement is in flight
    const rest = Array.from({ length: 30 }, (_, i) => commit.submit(i + 1));
    expect(await Promise.all([first, ...rest])).toEqual(Array.from({ length: 31 }, (_, i) => i * 2));
    expect(batches.map((b) => b.length)).toEqual([1, 30]);
    expect(commit.stats()).toMatchObject({ batches: 2, items: 31, waiting: 0, inFlight: 0 });
  });

  it('keeps to maxBatch and to concurrency', async () => {
    const { run, batches } = doubler(10);
    let inFlight = 0;
    let most = 0;
    const counted = async (items: number[]) => {
      most = Math.max(most, ++inFlight);
      try {
        return await run(items);
      } finally {
        inFlight--;
      }
    };
    const commit = groupCommit(counted, { concurrency: 2, maxBatch: 8 });
    await Promise.all(Array.from({ length: 50 }, (_, i) => commit.submit(i)));
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(8);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(most).toBe(2);
  });

  it('a batch that fails as a whole runs again item by item: only the bad item gets the error', async () => {
    const { run, batches } = doubler(5, (items) => items.includes(13));
    const commit = groupCommit(run, { concurrency: 1, maxBatch: 100 });
    const first = commit.submit(1);
    await sent(); // the first statement is in flight
    const rest = [12, 13, 14].map((i) => commit.submit(i));
    const settled = await Promise.allSettled([first, ...rest]);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'error'))).toEqual([2, 24, 'error', 28]);
    expect(batches).toEqual([[1], [12, 13, 14], [12], [13], [14]]);
    // Five statements ran, for four items: the reruns are statements, not items.
    expect(commit.stats()).toMatchObject({ batches: 5, items: 4 });
  });
});
