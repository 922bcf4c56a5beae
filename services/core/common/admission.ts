/**
 * D21: runs at most `limit` tasks at once, the others waiting their turn in arrival order. A burst waits here,
 * where waiting costs nothing but memory, instead of in the database pool, whose wait ends in an error after a few
 * seconds: so a burst of deliveries is absorbed, and the rest of the API keeps connections to work with.
 */
export function admissionGate(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (running < limit) running++;
      // A finishing task hands its place straight to the first waiter, so `running` never passes `limit`.
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await task();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
    /** Tasks running and waiting now (for metrics and tests). */
    get load(): { running: number; waiting: number } {
      return { running, waiting: waiting.length };
    },
  };
}
