import type { Database } from '../../db/client.ts';
import { reader, whenRequestTxEnds } from '../../db/request-tx.ts';
import { withTx, type Executor, type Tx } from '../../db/tx.ts';
import type { Posted } from '../ledger/posting.ts';
import { lockMember } from '../members/member-repo.ts';
import type { Member } from '../members/member-types.ts';
import type { OrderRecord } from '../orders/order-types.ts';
import { findTierSettings, lockProgram, saveTierSettings } from '../program/program-repo.ts';
import { settingsVersion } from '../program/program-service.ts';
import type { Clock } from '../common/clock.ts';
import { notFound, validationFailed } from '../common/errors.ts';
import { checkIfMatch, type IfMatch } from '../common/preconditions.ts';
import { SETTINGS_CACHE_MS, ttlCache } from '../common/ttl-cache.ts';
import { creditedForOrder, insertCredit, qualifyingTotal, tierHistory, writeTierDecisions, type TierHistoryRow } from './tier-repo.ts';
import * as rules from './tier-rules.ts';
import { changeEventData, standingOf, tierView, type ShopTiers } from './tier-views.ts';
import type { TierConfig } from './tier-types.ts';

export type TierService = ReturnType<typeof createTierService>;

/** The configuration shown when a shop has none: no tiers, the usual defaults for the rest. */
export const NO_TIERS: TierConfig = { basis: 'points', window: 'rolling12Months', retainMonths: 0, stepDown: false, tiers: [] };

/** D9: the shop's tiers, the qualifying credits of orders, upgrades, a member's standing, tiers set by hand. */
export function createTierService({ database, clock }: { database: Database; clock: Clock }) {
  const { db } = database;
  const cache = ttlCache<ShopTiers>(SETTINGS_CACHE_MS);

  /** The shop's tiers (config null: none), cached briefly; inside a transaction pass it. Throws not_found. */
  function shopTiers(shopId: string, executor: Executor = reader(db)): Promise<ShopTiers> {
    return cache.get(shopId, async () => {
      const row = await findTierSettings(executor, shopId);
      if (!row) throw notFound('Shop');
      const config = (row.tiers as TierConfig | null) ?? null;
      return { config: config && config.tiers.length > 0 ? config : null, remap: row.remap ?? {}, timezone: row.timezone, currency: row.currency };
    });
  }

  return {
    shopTiers,

    /** `GET /v1/tiers`: the configuration, or NO_TIERS. Throws not_found. */
    async config(shopId: string): Promise<TierConfig> {
      return (await shopTiers(shopId)).config ?? NO_TIERS;
    },

    /**
     * `PUT /v1/tiers`: replaces the configuration (an empty list turns tiers off), under the shop's lock; `ifMatch`
     * refuses a change to tiers that moved on. Members are re-evaluated by the tiers job: upgrades at once, removed
     * tiers' members to the nearest tier below, nobody further down. Throws validation_failed, precondition_failed.
     */
    async update(shopId: string, next: TierConfig, ifMatch?: IfMatch): Promise<TierConfig> {
      const saved = await saveConfig(db, clock, shopId, next, ifMatch);
      cache.delete(shopId);
      whenRequestTxEnds(() => cache.delete(shopId));
      return saved;
    },

    /** D2/D9: the tier an award made now applies, and its multiplier (the lowest tier's for a guest). */
    async earningTier(shopId: string, member: Pick<Member, 'tier'> | null, executor?: Executor): Promise<{ tierId: string | null; tierMultiplier: number }> {
      return tierToEarnAt(await shopTiers(shopId, executor), member);
    },

    /**
     * The order ledger's observer (D9): a maturity credits the order's points and spend and may upgrade the member;
     * a reversal of matured points takes its share back (never a downgrade). Credits are kept without tiers too, so
     * tiers a shop sets up later count what members already earned.
     */
    observeOrderPosting: (tx: Tx, order: OrderRecord, posted: Posted): Promise<Member | void> => observeOrderPosting(shopTiers, tx, order, posted),

    /** `GET /v1/members/{id}`'s tier: where the member stands, its window's total, the next tier; null without tiers. */
    async standing(member: Member) {
      const tiers = await shopTiers(member.shopId);
      if (!tiers.config) return null;
      const now = clock.now();
      const span = rules.currentWindow(tiers.config, now, tiers.timezone);
      const total = await qualifyingTotal(reader(db), member.shopId, member.id, tiers.config.basis, span, now);
      return tierView(tiers.config, member, span, total);
    },

    /** The member's tier changes, newest first. Throws not_found. */
    async history(member: Member, limit: number, beforeId: number | null): Promise<TierHistoryRow[]> {
      return tierHistory(reader(db), member.shopId, member.id, limit, beforeId);
    },

    /**
     * `PUT /v1/members/{id}/tier`: an operator's tier, recorded as `manual` with the reason; until `until` no review
     * moves the member down (upgrades still happen). Throws not_found (member, or a tier the shop lacks),
     * validation_failed.
     */
    setByHand: (shopId: string, customerId: string, input: ManualTier, actor: string): Promise<Member> =>
      setByHand({ db, clock, shopTiers }, shopId, customerId, input, actor),
  };
}
/** D9 upgrade, under the member's lock: the current window's total decides. Returns the member when it moved. */
async function upgrade(tx: Tx, tiers: ShopTiers, member: Member, at: Date, actor: string): Promise<Member | null> {
  const config = tiers.config!;
  const span = rules.currentWindow(config, at, tiers.timezone);
  const total = await qualifyingTotal(tx, member.shopId, member.id, config.basis, span, at);
  const change = rules.decideUpgrade(config, standingOf(member), total, at, tiers.timezone);
  if (!change) return null;
  const eventData = changeEventData(tiers, change, total);
  await writeTierDecisions(tx, member.shopId, [{ memberId: member.id, read: standingOf(member), change, eventData, actor, note: null }], at);
  return { ...member, tier: { id: change.to, since: change.since, reviewAt: change.reviewAt, heldUntil: change.heldUntil }, version: member.version + 1 };
}

interface ManualTier {
  tierId: string;
  reason: string;
  until?: Date | null;
}

async function setByHand(
  { db, clock, shopTiers }: { db: Database['db']; clock: Clock; shopTiers: (shopId: string, executor?: Executor) => Promise<ShopTiers> },
  shopId: string,
  customerId: string,
  input: ManualTier,
  actor: string,
): Promise<Member> {
  const now = clock.now();
  if (input.until && input.until <= now) throw validationFailed([{ field: '/until', message: 'must be in the future' }]);
  return withTx(db, async (tx) => {
    const tiers = await shopTiers(shopId, tx);
    const index = tiers.config ? rules.tierIndex(tiers.config, input.tierId) : -1;
    if (index < 0) throw notFound(`Tier "${input.tierId}"`);
    const member = await lockMember(tx, shopId, customerId);
    if (!member) throw notFound('Member');
    const config = tiers.config!;
    const heldUntil = input.until ?? null;
    const direction = index > Math.max(rules.tierIndex(config, member.tier.id), 0) ? ('up' as const) : ('down' as const);
    const change = { from: member.tier.id ?? config.tiers[0]!.id, direction, to: input.tierId, reason: 'manual' as const, since: now, heldUntil, reviewAt: rules.nextReview(config, index, now, heldUntil, tiers.timezone) };
    const span = rules.currentWindow(config, now, tiers.timezone);
    const total = await qualifyingTotal(tx, shopId, member.id, config.basis, span, now);
    const read = standingOf(member);
    const same = rules.tierIndex(config, member.tier.id) === index;
    const write = same
      ? { memberId: member.id, read, reviewAt: change.reviewAt, heldUntil }
      : { memberId: member.id, read, change, eventData: changeEventData(tiers, change, total), actor, note: input.reason };
    await writeTierDecisions(tx, shopId, [write], now);
    return (await lockMember(tx, shopId, customerId))!;
  });
}

async function observeOrderPosting(
  shopTiers: (shopId: string, executor?: Executor) => Promise<ShopTiers>,
  tx: Tx,
  order: OrderRecord,
  posted: Posted,
): Promise<Member | void> {
  const { entry, member } = posted;
  const matured = entry.kind === 'mature';
  // A reversal of matured points takes them back whether the balance covered it (reverse) or not (writeoff, D5).
  const reversed = (entry.kind === 'reverse' && entry.fromBucket === 'available') || entry.kind === 'writeoff';
  if ((!matured && !reversed) || !order.awardPoints) return;
  const credited = await creditedForOrder(tx, order.shopId, member.id, order.orderId);
  const facts = { awardPoints: order.awardPoints, awardEligible: order.awardEligible ?? 0 };
  const credit = rules.creditOf(facts, credited, matured ? entry.points : -entry.points);
  await insertCredit(tx, order.shopId, { memberId: member.id, at: entry.createdAt, ...credit, orderId: order.orderId, entryId: entry.id });
  const tiers = await shopTiers(order.shopId, tx);
  if (!matured || !tiers.config) return;
  return (await upgrade(tx, tiers, member, entry.createdAt, 'system')) ?? undefined;
}

function saveConfig(db: Database['db'], clock: Clock, shopId: string, next: TierConfig, ifMatch?: IfMatch): Promise<TierConfig> {
  const errors = rules.tierConfigErrors(next);
  if (errors.length > 0) throw validationFailed(errors);
  return withTx(db, async (tx) => {
    if (!(await lockProgram(tx, shopId))) throw notFound('Shop');
    const row = (await findTierSettings(tx, shopId))!;
    const current = (row.tiers as TierConfig | null) ?? NO_TIERS;
    checkIfMatch(ifMatch, settingsVersion(current), 'The tiers');
    const remap = next.tiers.length > 0 ? { ...(row.remap ?? {}), ...rules.remapRemoved(current, next) } : {};
    await saveTierSettings(tx, shopId, next.tiers.length > 0 ? next : null, remap, clock.now());
    return next;
  });
}

function tierToEarnAt({ config, remap }: ShopTiers, member: Pick<Member, 'tier'> | null): { tierId: string | null; tierMultiplier: number } {
  return rules.earningTier(config, member?.tier.id ?? null, remap);
}
