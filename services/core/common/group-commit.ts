/**
 * Group commit: requests that arrive while earlier ones are being written share the next statement, as TigerBeetle
 * batches transfers and PostgreSQL groups WAL flushes. `run` gets a batch of items and answers each (same order);
 * an item arriving when nothing is in flight goes on the next turn of the event loop, with whatever was submitted in
 * the same turn, so an idle service adds no wait. Under load the batches grow by themselves: at most `concurrency`
 * statements are in flight, and whatever arrives meanwhile waits for the next free slot, `maxBatch` at a time.
 *
 * One item never fails its neighbours: when a batch of several fails as a whole, each item is run again alone, so
 * only the item at fault gets the error (and the others their own answers).
 */
export interface GroupCommitOptions {
  /** Statements in flight at once (each holds one pool connection while it runs). */
  concurrency: number;
  /** Items in one statement at most. */
  maxBatch: number;
}

export type GroupCommit<I, O> = ReturnType<typeof groupCommit<I, O>>;

interface Waiting<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (error: unknown) => void;
}

export function groupCommit<I, O>(run: (items: I[]) => Promise<O[]>, options: GroupCommitOptions) {
  const waiting: Waiting<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;
  let batches = 0;
  let items = 0;

  /** `rerun`: an item of a batch that failed as a whole, run alone (a statement more, not an item more). */
  async function runBatch(batch: Waiting<I, O>[], rerun = false): Promise<void> {
    batches++;
    if (!rerun) items += batch.length;
    try {
      const outs = await run(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(outs[i]!));
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      // The batch failed as a whole: each item alone, so the error is only the faulty item's.
      else for (const w of batch) await runBatch([w], true);
    }
  }

  function pump(): void {
    scheduled = false;
    while (inFlight < options.concurrency && waiting.length > 0) {
      const batch = waiting.splice(0, options.maxBatch);
      inFlight++;
      void runBatch(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return {
    /** The item's answer, once the statement it shared has run. */
    submit(item: I): Promise<O> {
      return new Promise<O>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        // Items of one turn of the event loop (requests parsed together) go together: pump after them.
        if (!scheduled && inFlight < options.concurrency) {
          scheduled = true;
          setImmediate(pump);
        }
      });
    },
    /** Statements run and items they carried so far (items / batches: the mean batch). */
    stats: () => ({ batches, items, waiting: waiting.length, inFlight }),
  };
}
