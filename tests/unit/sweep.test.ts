import { describe, expect, it } from 'vitest';
import { sweepInChunks } from '../../services/core/common/sweep.ts';

/** A step that answers the given counts in turn (0 once they run out) and records the limits it was asked for. */
function scripted(counts: number[]) {
  const limits: number[] = [];
  const step = async (limit: number) => {
    limits.push(limit);
    return counts[limits.length - 1] ?? 0;
  };
  return { step, limits };
}

describe('sweepInChunks', () => {
  it.each([
    { name: 'nothing to do: one step', counts: [0], chunk: 5, maxChunks: 10, total: 0, steps: 1 },
    { name: 'less than a chunk: one step', counts: [3], chunk: 5, maxChunks: 10, total: 3, steps: 1 },
    { name: 'full chunks then a short one', counts: [5, 5, 2], chunk: 5, maxChunks: 10, total: 12, steps: 3 },
    { name: 'full chunks then an empty one', counts: [5, 5, 0], chunk: 5, maxChunks: 10, total: 10, steps: 3 },
    { name: 'stops at maxChunks though more is left', counts: [5, 5, 5, 5, 5], chunk: 5, maxChunks: 3, total: 15, steps: 3 },
    { name: 'the last allowed chunk is short', counts: [5, 5, 4], chunk: 5, maxChunks: 3, total: 14, steps: 3 },
    { name: 'one chunk allowed', counts: [5, 5], chunk: 5, maxChunks: 1, total: 5, steps: 1 },
    { name: 'chunks of one', counts: [1, 1, 0], chunk: 1, maxChunks: 10, total: 2, steps: 3 },
  ])('$name', async ({ counts, chunk, maxChunks, total, steps }) => {
    const { step, limits } = scripted(counts);
    expect(await sweepInChunks(step, { chunk, maxChunks })).toBe(total);
    expect(limits).toEqual(Array.from({ length: steps }, () => chunk));
  });

  it.each([
    { chunk: 0, maxChunks: 1 },
    { chunk: -5, maxChunks: 1 },
    { chunk: 2.5, maxChunks: 1 },
    { chunk: Number.NaN, maxChunks: 1 },
    { chunk: 5, maxChunks: 0 },
    { chunk: 5, maxChunks: Number.POSITIVE_INFINITY },
  ])('refuses chunk $chunk, maxChunks $maxChunks without running a step', async ({ chunk, maxChunks }) => {
    const { step, limits } = scripted([5]);
    await expect(sweepInChunks(step, { chunk, maxChunks })).rejects.toThrow(RangeError);
    expect(limits).toEqual([]);
  });

  it('ends with the error of a failing step, after the steps before it ran', async () => {
    let calls = 0;
    const step = async (limit: number) => {
      if (++calls === 3) throw new Error('connection lost');
      return limit;
    };
    await expect(sweepInChunks(step, { chunk: 5, maxChunks: 10 })).rejects.toThrow('connection lost');
    expect(calls).toBe(3);
  });
});
