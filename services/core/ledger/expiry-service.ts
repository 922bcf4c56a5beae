import type { Database } from '../../db/client.ts';
import { currentRequestTx, reader } from '../../db/request-tx.ts';
import { withTx } from '../../db/tx.ts';
import { inactiveSince } from '../earning/expiry-rules.ts';
import type { ProgramService } from '../program/program-service.ts';
import type { Clock } from '../common/clock.ts';
import { newId } from '../common/ids.ts';
import { sweepInChunks, type SweepLimits } from '../common/sweep.ts';
import { allShopIds, claimDueLots, countDue, expireLots, keyedAccessOnly, type DueCriteria } from './expiry-repo.ts';

export interface ExpiryCounts {
  /** Lots expired (one `expire` entry each). */
  expired: number;
  points: number;
}

/** D8: lots per chunk (one transaction each) and chunks per run; what is left waits for the next run. */
export const EXPIRY_SWEEP: SweepLimits = { chunk: 1_000, maxChunks: 1_000 };
/** A chunk takes at most this many due lots of each of its members (a member with more finishes in later chunks). */
const PER_MEMBER = 20;

export type ExpiryService = ReturnType<typeof createExpiryService>;

export interface ExpiryServiceDeps {
  database: Database;
  clock: Clock;
  program: ProgramService;
  /**
   * Lanes sweeping one shop at once (EXPIRY_LANES, 1 by default), each on its own connection and its own members
   * (by a hash of the member id), so they never wait on each other's locks. Two clear a backlog (a policy switched
   * on, a month's end) faster, at the cost of a second busy connection and CPU taken from the API's reads.
   */
  lanes?: number;
}

/**
 * D8: the expiry sweep behind the `expire` job (worker schedule and `POST /v1/jobs/expire` alike). Set-based, a
 * chunk per transaction of two statements: the first finds due lots (one indexed query), locks their members in id
 * order and takes each one's due lots; the second expires them all, re-reading every lot and balance under those
 * locks, so a lot expires exactly once however many sweeps run at once, and a posting racing the sweep either waits
 * for it or loses its version guard (the sweep moves `members.version` on).
 */
export function createExpiryService({ database, clock, program, lanes: laneCount = 1 }: ExpiryServiceDeps) {
  const { db } = database;

  async function criteria(shopId: string, asOf: Date): Promise<DueCriteria> {
    return { shopId, asOf, inactiveSince: inactiveSince((await program.get(shopId)).expiry, asOf) };
  }

  async function expireChunk(c: DueCriteria, limit: number, counts: ExpiryCounts): Promise<number> {
    const now = clock.now();
    const { found, done } = await withTx(db, async (tx) => {
      await keyedAccessOnly(tx);
      const claim = await claimDueLots(tx, c, limit, PER_MEMBER);
      if (claim.lotIds.length === 0) return { found: claim.found, done: { expired: 0, points: 0 } };
      const entryIds = claim.lotIds.map(() => newId('ent', now.getTime()));
      return { found: claim.found, done: await expireLots(tx, c, { ...claim, entryIds }, 'expire', now) };
    });
    counts.expired += done.expired;
    counts.points += done.points;
    return found;
  }

  async function expireShop(shopId: string, asOf: Date, dryRun: boolean, limits: SweepLimits): Promise<ExpiryCounts> {
    const c = await criteria(shopId, asOf);
    if (dryRun) return countDue(reader(db), c, limits.chunk * limits.maxChunks);
    const counts = { expired: 0, points: 0 };
    // Inside a request transaction (a job run with an Idempotency-Key) every statement shares one connection: one lane.
    const count = currentRequestTx() ? 1 : laneCount;
    const perLane = { chunk: limits.chunk, maxChunks: Math.max(1, Math.ceil(limits.maxChunks / count)) };
    const runs = await Promise.allSettled(
      Array.from({ length: count }, (_, index) => sweepInChunks((limit) => expireChunk({ ...c, lane: { index, count } }, limit, counts), perLane)),
    );
    const failed = runs.find((run) => run.status === 'rejected');
    if (failed) throw failed.reason;
    return counts;
  }

  return {
    /**
     * D8: expires what is due by `asOf` for one shop, or every shop (null), up to the run's bound; safe to run
     * twice or at once. A dry run counts exactly what a run would expire, changing nothing.
     */
    async expireDue(shopId: string | null, asOf: Date, dryRun = false, limits: SweepLimits = EXPIRY_SWEEP): Promise<ExpiryCounts> {
      const shops = shopId ? [shopId] : await allShopIds(reader(db));
      const total = { expired: 0, points: 0 };
      for (const shop of shops) {
        const counts = await expireShop(shop, asOf, dryRun, limits);
        total.expired += counts.expired;
        total.points += counts.points;
      }
      return total;
    },
  };
}
