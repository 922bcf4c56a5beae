import type { Tx } from '../../db/tx.ts';
import type { EventStatus, InboundEvent } from '../events/inbound-event-repo.ts';
import type { ProgramService } from '../program/program-service.ts';
import type { ProgramSettings } from '../program/program-types.ts';
import type { RuleService } from '../rules/rule-service.ts';
import type { Clock } from '../common/clock.ts';
import type { TierService } from '../tiers/tier-service.ts';
import { openOrderEvent } from './order-event-repo.ts';
import type { OrderLedger } from './order-ledger.ts';
import { hasEarlierAward, saveOrder } from './order-repo.ts';
import * as rules from './order-rules.ts';
import type { OrderSettlement } from './order-settlement.ts';
import type { OrderData, OrderEventType, OrderRecord, RefundData } from './order-types.ts';
import { insertRefund } from './refund-repo.ts';

interface Deps {
  clock: Clock;
  program: ProgramService;
  rules: RuleService;
  tiers: TierService;
  ledger: OrderLedger;
  settlement: OrderSettlement;
}

/** The locked path of an order event (D3, D4, D5, D6), in the event's transaction, deciding with order-rules.ts. */
export function createLockedOrderEvents({ clock, program, rules: ruleService, tiers, ledger, settlement }: Deps) {
  /** D2/D3: the award, pending (or matured at once if already due), and settled against what the order has seen. */
  async function award(tx: Tx, order: OrderRecord, data: OrderData, occurredAt: Date, settings: ProgramSettings): Promise<void> {
    const shopRules = await ruleService.forEarning(order.shopId, tx);
    const firstOrder = rules.needsHistory(shopRules) && order.memberId !== null
      ? !(await hasEarlierAward(tx, order.shopId, order.memberId, order.orderId))
      : true;
    // D9: the tier of the member as locked now (a guest's order: the lowest tier's).
    const member = order.memberId ? await ledger.lockedMember(tx, order.shopId, order.memberId) : null;
    const tier = await tiers.earningTier(order.shopId, member, tx);
    const { points, changes } = rules.planAward(data, occurredAt, settings, shopRules, firstOrder, tier);
    await ledger.apply(tx, order, { postings: [{ move: { kind: 'earn', from: null, to: 'pending', points } }], changes });
    await settlement.settle(tx, order, settings);
    if (order.awardStatus === 'pending' && order.awardAvailableAt! <= clock.now()) {
      await ledger.apply(tx, order, rules.planMaturity(order, settings));
    }
  }

  /** The event's own facts: a cancellation's time, a refund's row. Returns 'duplicate' when it adds nothing. */
  async function recordFacts(tx: Tx, order: OrderRecord, event: InboundEvent & { type: OrderEventType }, refund?: RefundData): Promise<EventStatus> {
    if (event.type === 'order.cancelled') {
      if (order.cancelledAt && order.cancelledAt >= event.occurredAt) return 'duplicate';
      order.cancelledAt = event.occurredAt;
    }
    if (event.type === 'order.refunded' && refund) {
      const fresh = await insertRefund(tx, order.shopId, {
        refundId: refund.id, orderId: order.orderId, amount: refund.amount, lines: refund.lines ?? null,
        reason: refund.reason ?? null, occurredAt: event.occurredAt,
      }, clock.now());
      if (!fresh) return 'duplicate';
      order.refundCount += 1;
    }
    return 'applied';
  }

  /**
   * The locked path, in the event's transaction: records the event id (a seen id is a duplicate and changes
   * nothing) and the order, awards it at most once, voids or reverses on cancellation and refunds, settles its
   * redemption. Throws currency_mismatch, validation_failed, out_of_range.
   */
  async function applyLocked(tx: Tx, shopId: string, event: InboundEvent & { type: OrderEventType }, data: OrderData, refund?: RefundData): Promise<EventStatus | 'seen'> {
    const settings = await program.get(shopId, tx);
    rules.checkCurrency(data, settings);
    rules.checkAmounts(data);
    const status = event.type.slice('order.'.length);
    const opened = await openOrderEvent(tx, shopId, event, rules.newOrder(shopId, data, status, event.occurredAt, event.receivedAt));
    if (!opened.fresh) return 'seen';
    const { order, created } = opened;
    if (!order.memberId && !order.guestEmail) order.memberId = (await settlement.resolveMember(tx, shopId, data))?.id ?? null;
    if (!created) Object.assign(order, rules.statusChange(order, status, event.occurredAt, data));
    if (!order.memberId && !(settings.guestAccrual && order.guestEmail)) {
      await saveOrder(tx, { ...order, updatedAt: clock.now() });
      return 'ignored';
    }
    let outcome = await recordFacts(tx, order, event, refund);
    // D5: a refund this event recorded is what its reversal and restore answer for.
    const causedBy = refund && outcome === 'applied' ? refund.id : null;
    const decision = rules.awardDecision(event.type, settings, order);
    if (decision === 'award') await award(tx, order, data, event.occurredAt, settings);
    else {
      if (decision === 'duplicate') outcome = 'duplicate';
      await settlement.settle(tx, order, settings, causedBy);
    }
    await settlement.settleRedemption(tx, order, data, causedBy);
    await saveOrder(tx, { ...order, updatedAt: clock.now() });
    return outcome;
  }

  return { applyLocked };
}
