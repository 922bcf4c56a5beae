import { describe, expect, it } from 'vitest';
import { keyedQueue } from '../../services/core/common/busy-keys.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('keyedQueue', () => {
  it('runs one task at a time per key, in arrival order; other keys do not wait', async () => {
    const queue = keyedQueue();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const task = (name: string) => async (waited: boolean) => {
      running++;
      most = Math.max(most, running);
      log.push(`${name} start${waited ? ' (waited)' : ''}`);
      await tick();
      log.push(`${name} end`);
      running--;
      return name;
    };
    const results = await Promise.all([queue.run('m1', task('a')), queue.run('m1', task('b')), queue.run('m1', task('c'))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start (waited)', 'b end', 'c start (waited)', 'c end']);
    expect(most).toBe(1);

    const order: string[] = [];
    await Promise.all([
      queue.run('m1', async () => { await tick(); await tick(); order.push('slow m1'); }),
      queue.run('m2', async () => { order.push('m2'); }),
    ]);
    expect(order).toEqual(['m2', 'slow m1']);
  });

  it('a failing task passes its error to its caller and lets the next one run; drained keys are forgotten', async () => {
    const queue = keyedQueue();
    const failing = queue.run('m', async () => {
      await tick();
      throw new Error('boom');
    });
    const next = queue.run('m', async (waited) => waited);
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe(true);
    expect(queue.size).toBe(0);
    expect(await queue.run('m', async (waited) => waited)).toBe(false);
  });
});
