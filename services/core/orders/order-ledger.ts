import type { Tx } from '../../db/tx.ts';
import { post, type Posted } from '../ledger/posting.ts';
import { lockMemberById } from '../members/member-repo.ts';
import type { Member } from '../members/member-types.ts';
import type { Clock } from '../common/clock.ts';
import type { OrderPlan } from './order-rules.ts';
import type { OrderRecord } from './order-types.ts';

export type OrderLedger = ReturnType<typeof createOrderLedger>;

/**
 * Told of every entry an order's plan posts, in its transaction, with the member locked as the entry left it: the
 * tiers count matured points and reversals (D9), a first maturity pays referral bonuses (D11). Returns the member
 * when it changed the row (a later posting of the plan must see it), else nothing.
 */
export type OrderPostingObserver = (tx: Tx, order: OrderRecord, posted: Posted) => Promise<Member | void>;

/**
 * Carries out an order's plans on its member's ledger inside the event's transaction, under the member's row
 * lock. The member is locked and read once per transaction: every later posting goes through `apply`, which keeps
 * the remembered row current.
 */
export function createOrderLedger({ clock }: { clock: Clock }) {
  const locked = new WeakMap<Tx, Map<string, Member>>();
  const observers: OrderPostingObserver[] = [];

  function remember(tx: Tx, member: Member): void {
    const forTx = locked.get(tx) ?? new Map<string, Member>();
    forTx.set(member.id, member);
    locked.set(tx, forTx);
  }

  /** The order's member, locked in this transaction. */
  async function lockedMember(tx: Tx, shopId: string, memberId: string): Promise<Member> {
    const held = locked.get(tx)?.get(memberId);
    if (held) return held;
    const member = await lockMemberById(tx, shopId, memberId);
    if (!member) throw new Error(`member ${memberId} is missing`);
    remember(tx, member);
    return member;
  }

  /** Posts the plan's entries for the order's member (a guest's order has none yet) and takes its changes. */
  async function apply(tx: Tx, order: OrderRecord, plan: OrderPlan): Promise<void> {
    Object.assign(order, plan.changes);
    const memberId = order.memberId;
    if (!memberId) return;
    for (const { move, allowNegative, lotExpiresAt, refundId } of plan.postings) {
      if (move.points <= 0) continue;
      const member = await lockedMember(tx, order.shopId, memberId);
      const posting = { move, actor: 'storefront', orderId: order.orderId, refundId, exchangeRate: order.exchangeRate, allowNegative, lotExpiresAt };
      const posted = await post(tx, member, posting, clock.now());
      remember(tx, posted.member);
      for (const observe of observers) {
        const changed = await observe(tx, order, { ...posted, member: locked.get(tx)!.get(memberId)! });
        if (changed) remember(tx, changed);
      }
    }
  }

  /** Adds an observer of the entries orders post (the container wires them). */
  function observe(observer: OrderPostingObserver): void {
    observers.push(observer);
  }

  return { apply, lockedMember, remember, observe };
}
