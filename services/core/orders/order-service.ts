import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx, type Executor, type Tx } from '../../db/tx.ts';
import type { Member } from '../members/member-types.ts';
import type { ProgramService } from '../program/program-service.ts';
import type { Redemption } from '../redemptions/redemption-types.ts';
import { findRedemption, findRedemptions } from '../redemptions/redemption-repo.ts';
import type { Clock } from '../common/clock.ts';
import { notFound } from '../common/errors.ts';
import { sweepInChunks } from '../common/sweep.ts';
import type { OrderLedger } from './order-ledger.ts';
import type { OrderRecord, RefundRecord } from './order-types.ts';
import * as repo from './order-repo.ts';
import { planClaim, planMaturity } from './order-rules.ts';
import { refundsOf, refundsOfOrders } from './refund-repo.ts';

export type OrderService = ReturnType<typeof createOrderService>;

/** An order as the API shows it: with its refunds and the redemption it carried. */
export interface OrderDetail {
  order: OrderRecord;
  refunds: RefundRecord[];
  redemption: Redemption | null;
}

const MATURE_CHUNK = 200;
const MAX_CHUNKS_PER_RUN = 1_000;

/** Orders outside their events: maturing awards (D3), guest orders claimed (D10), an order as the API shows it. */
export function createOrderService({ database, clock, program, ledger }: { database: Database; clock: Clock; program: ProgramService; ledger: OrderLedger }) {
  const { db } = database;

  /** Matures one award if it is still pending and due: the points it matured, or null when there was nothing to do. */
  async function matureOne(shopId: string, orderId: string, asOf: Date): Promise<number | null> {
    return withTx(db, async (tx) => {
      const order = await repo.lockOrder(tx, shopId, orderId);
      if (!order || order.awardStatus !== 'pending' || order.awardAvailableAt! > asOf) return null;
      await ledger.apply(tx, order, planMaturity(order, await program.get(shopId, tx)));
      await repo.saveOrder(tx, { ...order, updatedAt: clock.now() });
      return (order.awardPoints ?? 0) - order.reversedPoints;
    });
  }

  return {
    /**
     * D3: matures every pending award due by `asOf`, in chunks; idempotent (a matured award is not pending). A dry
     * run counts, in one statement, exactly what a run would take: every due award up to the run's bound.
     */
    async matureDue(shopId: string | null, asOf: Date, dryRun = false): Promise<{ matured: number; points: number }> {
      if (dryRun) return repo.countDueAwards(reader(db), shopId, asOf, MATURE_CHUNK * MAX_CHUNKS_PER_RUN);
      const counts = { matured: 0, points: 0 };
      await sweepInChunks(async (limit) => {
        const due = await repo.dueAwards(reader(db), shopId, asOf, limit);
        for (const { shopId: s, orderId } of due) {
          const points = await matureOne(s, orderId, asOf);
          if (points === null) continue;
          counts.matured++;
          counts.points += points;
        }
        return due.length;
      }, { chunk: MATURE_CHUNK, maxChunks: MAX_CHUNKS_PER_RUN });
      return counts;
    },

    /** D10: attaches a verified e-mail's guest orders to the member, with their points as they stand now. */
    async claimGuestOrders(tx: Tx, member: Member): Promise<number> {
      if (!member.email || !member.emailVerified) return 0;
      const settings = await program.get(member.shopId, tx);
      let claimed = 0;
      for (const orderId of await repo.unclaimedOrders(tx, member.shopId, member.email)) {
        const order = await repo.lockOrder(tx, member.shopId, orderId);
        if (!order || order.memberId) continue;
        await ledger.apply(tx, order, planClaim(order, member, settings));
        await repo.saveOrder(tx, { ...order, updatedAt: clock.now() });
        claimed++;
      }
      return claimed;
    },

    /** D19: the member's orders, each as `get` gives it, for its export (order-repo.ts says which). */
    ofMember: (shopId: string, member: Member): Promise<OrderDetail[]> => ordersOfMember(reader(db), shopId, member),

    /** Throws not_found. */
    async get(shopId: string, orderId: string): Promise<OrderDetail> {
      const order = await repo.findOrder(reader(db), shopId, orderId);
      if (!order) throw notFound('Order');
      const redemption = order.redemptionId ? await findRedemption(reader(db), shopId, order.redemptionId) : null;
      return { order, refunds: await refundsOf(reader(db), shopId, orderId), redemption };
    },
  };
}

/** The member's orders with their refunds and redemptions, in three reads whatever their number. */
async function ordersOfMember(executor: Executor, shopId: string, member: Member): Promise<OrderDetail[]> {
  const orders = await repo.memberOrders(executor, shopId, member);
  const refunds = new Map<string, RefundRecord[]>();
  for (const r of await refundsOfOrders(executor, shopId, orders.map((o) => o.orderId))) {
    const ofOrder = refunds.get(r.orderId) ?? [];
    ofOrder.push(r);
    refunds.set(r.orderId, ofOrder);
  }
  const redemptionIds = orders.flatMap((o) => (o.redemptionId ? [o.redemptionId] : []));
  const redemptions = new Map((await findRedemptions(executor, shopId, redemptionIds)).map((r) => [r.id, r]));
  return orders.map((order) => ({
    order,
    refunds: refunds.get(order.orderId) ?? [],
    redemption: order.redemptionId ? (redemptions.get(order.redemptionId) ?? null) : null,
  }));
}
