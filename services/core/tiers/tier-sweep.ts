import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx } from '../../db/tx.ts';
import { clearTierChange, findTierSettings, shopsWithTierChanges, shopsWithTiers } from '../program/program-repo.ts';
import type { SweepLimits } from '../common/sweep.ts';
import { dueReviews, membersAfter, writeTierDecisions, type TierCandidate, type TierWrite, type TotalsQuery } from './tier-repo.ts';
import * as rules from './tier-rules.ts';
import type { TierConfig } from './tier-types.ts';
import { changeEventData, type ShopTiers } from './tier-views.ts';

/** A tiers run's counts: members looked at, moved up, moved down, and whether a configuration change was applied. */
export interface TierRunCounts {
  reviewed: number;
  upgraded: number;
  downgraded: number;
  reevaluated: number;
}

export const TIER_SWEEP: SweepLimits = { chunk: 2_000, maxChunks: 100 };

interface ShopRun {
  shopId: string;
  tiers: ShopTiers & { config: TierConfig };
  asOf: Date;
  dryRun: boolean;
  counts: TierRunCounts;
}

function totalsQuery(run: ShopRun, withPrevious: boolean): TotalsQuery {
  const { config, timezone } = run.tiers;
  return {
    basis: config.basis,
    current: rules.currentWindow(config, run.asOf, timezone),
    previous: withPrevious ? rules.previousWindow(config, run.asOf, timezone) : null,
    asOf: run.asOf,
  };
}

/**
 * The `tiers` job (D9): for each shop with tiers, first the members of a changed configuration (all of them, once),
 * then the reviews due by `asOf`, in chunks of one read and one write each. Safe twice or at once: a decision is
 * written only where the member is still as it was read. A dry run counts what a run would do and writes nothing.
 */
export function createTierSweep({ database }: { database: Database }) {
  const { db } = database;

  return {
    /** One shop, or every shop with tiers (null). */
    async run(shopId: string | null, asOf: Date, dryRun = false, limits: SweepLimits = TIER_SWEEP): Promise<TierRunCounts> {
      const counts: TierRunCounts = { reviewed: 0, upgraded: 0, downgraded: 0, reevaluated: 0 };
      const shops = shopId ? [shopId] : [...new Set([...(await shopsWithTierChanges(reader(db))), ...(await shopsWithTiers(reader(db)))])];
      for (const shop of shops) await runShop(db, shop, asOf, dryRun, counts, limits);
      return counts;
    },
  };
}

/** Writes (or, dry, only counts) one chunk's decisions. */
async function settle(db: Database['db'], run: ShopRun, decided: { candidate: TierCandidate; outcome: rules.ReviewOutcome }[]): Promise<void> {
  const writes: TierWrite[] = decided.map(({ candidate, outcome }): TierWrite => {
    if (outcome.kind === 'keep') return { memberId: candidate.memberId, read: candidate, reviewAt: outcome.reviewAt };
    const { change } = outcome;
    return { memberId: candidate.memberId, read: candidate, change, eventData: changeEventData(run.tiers, change, candidate.current), actor: 'tiers', note: null };
  });
  const moving = writes.filter((w) => 'change' in w || w.reviewAt?.getTime() !== w.read.reviewAt?.getTime());
  // Only the members this run moved count: a concurrent run may have moved some first.
  const moved = run.dryRun ? null : await withTx(db, (tx) => writeTierDecisions(tx, run.shopId, moving, run.asOf));
  for (const w of writes) {
    if (!('change' in w) || (moved && !moved.has(w.memberId))) continue;
    run.counts[w.change.direction === 'down' ? 'downgraded' : 'upgraded']++;
  }
}

async function reevaluate(db: Database['db'], run: ShopRun, remap: Record<string, string>, limits: SweepLimits): Promise<boolean> {
  const q = totalsQuery(run, false);
  let after: string | null = null;
  for (let chunk = 0; chunk < limits.maxChunks; chunk++) {
    const candidates = await membersAfter(reader(db), run.shopId, q, after, limits.chunk);
    const { config, timezone } = run.tiers;
    await settle(db, run, candidates.map((c) => ({ candidate: c, outcome: rules.decideConfigChange(config, c, c.current, remap, run.asOf, timezone) })));
    run.counts.reevaluated += candidates.length;
    if (candidates.length < limits.chunk) return true;
    after = candidates[candidates.length - 1]!.memberId;
  }
  return false;
}

async function review(db: Database['db'], run: ShopRun, limits: SweepLimits): Promise<void> {
  const q = totalsQuery(run, true);
  let after: { at: Date; id: string } | null = null;
  for (let chunk = 0; chunk < limits.maxChunks; chunk++) {
    const candidates = await dueReviews(reader(db), run.shopId, q, after, limits.chunk);
    const { config, timezone } = run.tiers;
    await settle(db, run, candidates.map((c) => ({ candidate: c, outcome: rules.decideReview(config, c, c, run.asOf, timezone) })));
    run.counts.reviewed += candidates.length;
    if (candidates.length < limits.chunk) return;
    const last = candidates[candidates.length - 1]!;
    after = { at: last.reviewAt!, id: last.memberId };
  }
}

async function runShop(db: Database['db'], shopId: string, asOf: Date, dryRun: boolean, counts: TierRunCounts, limits: SweepLimits): Promise<void> {
  const row = await findTierSettings(reader(db), shopId);
  const config = (row?.tiers as TierConfig | null) ?? null;
  if (!row) return;
  if (!config || config.tiers.length === 0) {
    // Tiers turned off: nothing to re-evaluate (members keep their columns, which nothing reads without tiers).
    if (row.changedAt && !dryRun) await clearTierChange(db, shopId, row.changedAt);
    return;
  }
  const run: ShopRun = { shopId, tiers: { config, timezone: row.timezone, currency: row.currency }, asOf, dryRun, counts };
  if (row.changedAt) {
    const complete = await reevaluate(db, run, row.remap ?? {}, limits);
    if (complete && !dryRun) await clearTierChange(db, shopId, row.changedAt);
  }
  await review(db, run, limits);
}
