import type { Tx } from '../../db/tx.ts';
import { insertMember, lockMember, lockMemberById } from '../members/member-repo.ts';
import { normaliseProfile } from '../members/member-rules.ts';
import type { Member } from '../members/member-types.ts';
import type { ProgramSettings } from '../program/program-types.ts';
import type { RedemptionLedger } from '../redemptions/redemption-ledger.ts';
import { findRedemption } from '../redemptions/redemption-repo.ts';
import type { Clock } from '../common/clock.ts';
import { newId } from '../common/ids.ts';
import type { OrderLedger } from './order-ledger.ts';
import * as rules from './order-rules.ts';
import type { OrderData, OrderRecord } from './order-types.ts';
import { refundsOf } from './refund-repo.ts';

export type OrderSettlement = ReturnType<typeof createOrderSettlement>;

/** What an order event settles under locks, beyond its award: reversals (D4, D5), its redemption (D6), its member. */
interface Deps {
  clock: Clock;
  ledger: OrderLedger;
  redemptions: RedemptionLedger;
  /** D11: what a member's creation brings (the sign-up bonus), in its transaction; returns the member after it. */
  memberCreated: (tx: Tx, member: Member) => Promise<Member>;
}

export function createOrderSettlement({ clock, ledger, redemptions, memberCreated }: Deps) {
  return {
    /**
     * D4/D5: brings the award in line with the order's cancellation and refunds. `causedBy`: the refund the event
     * being applied recorded, which the reversal names (D5).
     */
    async settle(tx: Tx, order: OrderRecord, settings: ProgramSettings, causedBy: string | null = null): Promise<void> {
      if (!order.awardStatus || order.awardStatus === 'void') return;
      const refunds = order.refundCount === 0 ? [] : await refundsOf(tx, order.shopId, order.orderId);
      const reversal = rules.planReversal(order, refunds, causedBy);
      // Only a write-off of what the balance lacks needs the member's balance.
      const available = rules.needsBalance(reversal, settings) && order.memberId
        ? (await ledger.lockedMember(tx, order.shopId, order.memberId)).balance.available
        : 0;
      await ledger.apply(tx, order, rules.settlementPlan(order, reversal, settings, available));
    },

    /**
     * D6: the redemption an order carries. Placing (or paying) the order commits its hold; a hold already expired
     * is recorded, not burnt. Cancelling releases a hold; refunds restore the refunded share of what was spent,
     * each restore naming its refund (`causedBy`, as in `settle`).
     */
    async settleRedemption(tx: Tx, order: OrderRecord, data: OrderData, causedBy: string | null = null): Promise<void> {
      const carried = data.pointsRedeemed?.redemptionId;
      if (carried && !order.redemptionId) {
        order.redemptionId = carried;
        order.redemptionStatus = order.cancelledAt ? 'held' : await redemptions.commitIn(tx, order.shopId, carried, order.orderId, 'storefront');
      }
      if (!order.redemptionId) return;
      const committed = order.redemptionStatus === 'committed' ? await findRedemption(tx, order.shopId, order.redemptionId) : null;
      const refunds = committed && order.refundCount > 0 ? await refundsOf(tx, order.shopId, order.orderId) : [];
      const step = rules.redemptionStep(order, committed, refunds, causedBy);
      if (step.kind === 'release') {
        // A cancelled order's hold goes back; one that had already gone keeps saying what became of it.
        const released = await redemptions.releaseIn(tx, order.shopId, order.redemptionId);
        order.redemptionStatus = released ? 'released' : ((await findRedemption(tx, order.shopId, order.redemptionId))?.status ?? 'missing');
      }
      if (step.kind !== 'restore') return;
      for (const { refundId, points } of step.causes) await redemptions.restoreIn(tx, order.shopId, order.redemptionId, points, refundId);
    },

    /**
     * The member an order belongs to, locked: its customer (created if new, with its sign-up bonus, D11), or none
     * for a guest (D10). An order's customer names no referrer: that is the member profile's (D11).
     */
    async resolveMember(tx: Tx, shopId: string, data: OrderData): Promise<Member | null> {
      const customer = data.customer;
      if (!customer?.id) return null;
      let member = await lockMember(tx, shopId, customer.id);
      if (!member) {
        const now = clock.now();
        const id = newId('mem', now.getTime());
        const profile = normaliseProfile({ ...customer, referredBy: null });
        const inserted = await insertMember(tx, { shopId, id, customerId: customer.id, profile, now }, 'keep');
        // A row this transaction inserted is already locked by it; one a concurrent event inserted first is not.
        member = inserted.created ? await memberCreated(tx, inserted.member) : await lockMemberById(tx, shopId, inserted.member.id);
      }
      if (member) ledger.remember(tx, member);
      return member;
    },
  };
}
