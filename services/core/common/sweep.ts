/** How one run of a sweep is bounded: `chunk` items per step, at most `maxChunks` steps: a limit on everything. */
export interface SweepLimits {
  readonly chunk: number;
  readonly maxChunks: number;
}

/**
 * The bounded, chunked sweep loop of the maintenance jobs: calls `step(chunk)` (which processes at most `limit`
 * items, e.g. one `DELETE … LIMIT`, and returns how many it did) until a step returns fewer than `chunk`
 * (nothing left) or `maxChunks` steps have run (the run's bound: what is left waits for the next run). Returns the
 * total processed. A step that throws ends the sweep with its error; what earlier steps did stays done.
 */
export async function sweepInChunks(step: (limit: number) => Promise<number>, { chunk, maxChunks }: SweepLimits): Promise<number> {
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`sweep chunk must be a positive integer, got ${chunk}`);
  if (!Number.isInteger(maxChunks) || maxChunks < 1) throw new RangeError(`sweep maxChunks must be a positive integer, got ${maxChunks}`);
  let total = 0;
  for (let steps = 0; steps < maxChunks; steps++) {
    const done = await step(chunk);
    total += done;
    if (done < chunk) break;
  }
  return total;
}
