import type { Database } from '../../db/client.ts';
import { currentRequestTx } from '../../db/request-tx.ts';
import { withTx, type Executor } from '../../db/tx.ts';
import { setEventStatus, type EventStatus, type InboundEvent } from '../events/inbound-event-repo.ts';
import { planPosting, tryPost } from '../ledger/posting.ts';
import { DECLINED, MISSED, type PostingRunner } from '../ledger/posting-runner.ts';
import type { ProgramService } from '../program/program-service.ts';
import type { EarningRule } from '../earning/earning-types.ts';
import type { ProgramSettings } from '../program/program-types.ts';
import type { RuleService } from '../rules/rule-service.ts';
import type { Clock } from '../common/clock.ts';
import { earningTier } from '../tiers/tier-rules.ts';
import type { TierService } from '../tiers/tier-service.ts';
import type { ShopTiers } from '../tiers/tier-views.ts';
import { createLockedOrderEvents } from './order-event-locked.ts';
import { createAwardBatches, newMember, signupFirst, type AwardBatches } from './order-award-batch.ts';
import { orderEventRows, type OrderEventSnapshot } from './order-event-repo.ts';
import type { OrderLedger } from './order-ledger.ts';
import * as rules from './order-rules.ts';
import type { OrderSettlement } from './order-settlement.ts';
import type { OrderData, OrderEventType, RefundData } from './order-types.ts';

type LockFreeEvent = InboundEvent & { shopId: string; type: OrderEventType; data: OrderData; settings: ProgramSettings; shopRules: EarningRule[]; tiers: ShopTiers };
export type OrderEventOutcome = { status: EventStatus; path: 'optimistic' | 'locked' };
export type OrderEvents = ReturnType<typeof createOrderEvents>;

interface Deps {
  database: Database;
  clock: Clock;
  program: ProgramService;
  rules: RuleService;
  tiers: TierService;
  postings: PostingRunner;
  ledger: OrderLedger;
  settlement: OrderSettlement;
}

/**
 * Applies order events (D3, D4, D5, D6, D15): the usual award lock-free in two round trips, everything else in
 * one transaction under the order's and the member's locks. Both paths decide with order-rules.ts.
 */
export function createOrderEvents(deps: Deps) {
  const { database, clock, program, rules: ruleService, tiers, postings } = deps;
  const { db } = database;
  const { applyLocked } = createLockedOrderEvents(deps);
  const batches = createAwardBatches(database);

  async function locked(shopId: string, event: InboundEvent & { type: OrderEventType }, data: OrderData, refund?: RefundData): Promise<OrderEventOutcome> {
    return withTx(db, async (tx) => {
      const status = await applyLocked(tx, shopId, event, data, refund);
      if (status === 'seen') return { status: 'duplicate', path: 'locked' };
      if (status !== 'applied') await setEventStatus(tx, shopId, event.eventId, status);
      return { status, path: 'locked' };
    });
  }

  return {
    applyLocked,

    /** The group commit's statements and the events they carried so far (for tests and /metrics). */
    batchStats: () => batches.stats(),

    /**
     * D15: applies an order event once: its id is recorded with its effect, and the effect is deduplicated by the
     * order and refund it names. Throws currency_mismatch, validation_failed, out_of_range.
     */
    async apply(shopId: string, event: InboundEvent & { type: OrderEventType }, data: OrderData, refund?: RefundData): Promise<OrderEventOutcome> {
      const settings = await program.get(shopId);
      rules.checkCurrency(data, settings);
      rules.checkAmounts(data);
      const shopRules = await ruleService.forEarning(shopId);
      if (currentRequestTx() || !rules.mayAwardLockFree(event.type, data, settings, shopRules)) return locked(shopId, event, data, refund);
      const customerId = data.customer!.id!;
      const shopTiers = await tiers.shopTiers(shopId);
      return postings.run({
        key: `${shopId}/${customerId}`,
        read: () => batches.read({ shopId, eventId: event.eventId, orderId: data.id, customerId }),
        write: async (executor, snapshot) => {
          const status = await writeLockFree({ clock, batches }, executor, snapshot, { ...event, shopId, data, settings, shopRules, tiers: shopTiers });
          return typeof status === 'string' ? { status, path: 'optimistic' as const } : status;
        },
        locked: () => locked(shopId, event, data, refund),
      });
    },
  };
}

/**
 * The lock-free write: the award of an untouched order, with the event and order rows. A new order's award goes
 * in the shared statement of the events writing now (group commit), its member created there if Lojal has not
 * seen the customer; an order seen before is written on its own, guarded by the order's version too.
 */
async function writeLockFree(
  { clock, batches }: { clock: Clock; batches: AwardBatches },
  executor: Executor,
  snapshot: OrderEventSnapshot,
  event: LockFreeEvent,
) {
  if (snapshot.seen) return 'duplicate' as const;
  const { data, settings, shopRules } = event;
  const now = clock.now();
  // A customer Lojal has not seen: its member is made by this write (only for an order not seen either).
  let isNew = !snapshot.member && !snapshot.order;
  let member = snapshot.member ?? (isNew ? newMember(event.shopId, data, now) : null);
  if (!member || (snapshot.order && !rules.untouched(snapshot.order, member.id))) return DECLINED;
  // D9: the multiplier of the tier the member holds in the version read; a tier change moves the version.
  const tier = earningTier(event.tiers.config, member.tier.id, event.tiers.remap);
  const status = event.type.slice('order.'.length);
  const order = snapshot.order ?? rules.newOrder(member.shopId, data, status, event.occurredAt, event.receivedAt);
  if (snapshot.order) Object.assign(order, rules.statusChange(order, status, event.occurredAt, data));
  const { points, changes } = rules.planAward(data, event.occurredAt, settings, shopRules, true, tier);
  Object.assign(order, changes, { memberId: member.id, updatedAt: now });
  if (points <= 0 || order.awardAvailableAt! <= now) return DECLINED;
  if (isNew && settings.bonuses.signup > 0) {
    // D11: the member and its sign-up bonus first, in one statement; the award then goes as a known member's.
    const created = await signupFirst(executor, member, settings, now);
    if (!created) return MISSED;
    [member, isNew] = [created, false];
  }
  const inbound = { eventId: event.eventId, type: event.type, occurredAt: event.occurredAt, receivedAt: event.receivedAt };
  const posting = { move: { kind: 'earn', from: null, to: 'pending', points } as const, actor: 'storefront', orderId: order.orderId, exchangeRate: order.exchangeRate };
  if (snapshot.order) {
    const attach = orderEventRows(inbound, order, snapshot.order.version);
    return (await tryPost(executor, member, { ...posting, attach }, now)) ? ('applied' as const) : MISSED;
  }
  // An award moves points to pending only: no lots to read, so the plan is made here and written with the others.
  const { write } = await planPosting(executor, member, posting, now);
  const seq = await batches.write({ shopId: member.shopId, posting: write, event: inbound, order, newMember: isNew ? { customerId: member.customerId, profile: member } : null });
  return seq === null ? MISSED : ('applied' as const);
}
