import type { Database } from '../../db/client.ts';
import { isRetryable, pgErrorCode, reader, withTx, type Tx } from '../../db/tx.ts';
import { computeAward, reversalTarget, type RefundFacts } from '../earning/earning-rules.ts';
import type { EarningOrder, EarningRule } from '../earning/earning-types.ts';
import { lotExpiry } from '../earning/expiry-rules.ts';
import { post, tryPost } from '../ledger/ledger-writer.ts';
import type { Move } from '../ledger/ledger-types.ts';
import * as memberRepo from '../members/member-repo.ts';
import { memberFromRow } from '../members/member-repo.ts';
import { validateProfile } from '../members/member-service.ts';
import type { Member, Profile } from '../members/member-types.ts';
import type { ProgramService } from '../program/program-service.ts';
import type { ProgramSettings } from '../program/program-types.ts';
import type { RedemptionService } from '../redemptions/redemption-service.ts';
import { restoreTarget } from '../redemptions/redemption-rules.ts';
import type { RuleService } from '../rules/rule-service.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError, notFound, validationFailed } from '../shared/errors.ts';
import { isCurrency } from '../shared/money.ts';
import { newId } from '../shared/ids.ts';
import * as repo from './order-repo.ts';
import type { OrderData, OrderEventType, OrderRecord, RefundData } from './order-types.ts';

export type EventOutcome = 'applied' | 'duplicate' | 'ignored';
export type OrderService = ReturnType<typeof createOrderService>;

const DAY_MS = 86_400_000;
const MATURE_CHUNK = 200;
/** lojal_all_or_nothing: a guard of a multi-row write no longer held (migration 0010). */
const GUARD_FAILED = 'LJ001';

interface Deps {
  database: Database;
  clock: Clock;
  program: ProgramService;
  rules: RuleService;
  redemptions: RedemptionService;
}

export function createOrderService({ database, clock, program, rules, redemptions }: Deps) {
  const { db } = database;
  const locked = new WeakMap<Tx, Map<string, Member>>();

  /**
   * The member locked in this transaction, read once: every later posting in the transaction goes through
   * `postFor`, which keeps the remembered row current, so one order event locks and reads its member once.
   */
  async function lockedMember(tx: Tx, shopId: string, memberId: string): Promise<Member> {
    const held = locked.get(tx)?.get(memberId);
    if (held) return held;
    const member = await memberRepo.lockMemberById(tx, shopId, memberId);
    if (!member) throw new Error(`member ${memberId} is missing`);
    remember(tx, member);
    return member;
  }

  function remember(tx: Tx, member: Member): void {
    const forTx = locked.get(tx) ?? new Map<string, Member>();
    forTx.set(member.id, member);
    locked.set(tx, forTx);
  }

  /** Posts one entry for the order's member, under the member's row lock. */
  async function postFor(tx: Tx, order: OrderRecord, move: Move, extra: { lotExpiresAt?: Date | null; allowNegative?: boolean; refundId?: string } = {}) {
    if (!order.memberId || move.points <= 0) return null;
    const member = await lockedMember(tx, order.shopId, order.memberId);
    const posted = await post(
      tx,
      member,
      { move, actor: 'storefront', orderId: order.orderId, exchangeRate: order.exchangeRate, ...extra },
      clock.now(),
    );
    remember(tx, posted.member);
    return posted;
  }

  /** D3: pending → available for the award's points not reversed meanwhile; the lot expires per D8. */
  async function matureAward(tx: Tx, order: OrderRecord, settings: ProgramSettings): Promise<void> {
    const points = (order.awardPoints ?? 0) - order.reversedPoints;
    await postFor(tx, order, { kind: 'mature', from: 'pending', to: 'available', points }, { lotExpiresAt: lotExpiry(settings.expiry, order.awardAvailableAt!) });
    order.awardStatus = 'available';
  }

  /**
   * Brings the ledger in line with the order's facts: a cancellation voids pending points (D4) or, once matured,
   * counts as a full refund; refunds reverse up to their cumulative target (D5), pending points first.
   */
  async function settle(tx: Tx, order: OrderRecord, settings: ProgramSettings): Promise<void> {
    if (!order.awardStatus || order.awardStatus === 'void') return;
    const cancelled = order.cancelledAt !== null && order.awardedAt !== null && order.cancelledAt >= order.awardedAt;
    const awardPoints = order.awardPoints ?? 0;
    if (cancelled && order.awardStatus === 'pending') {
      await postFor(tx, order, { kind: 'void', from: 'pending', to: null, points: awardPoints - order.reversedPoints });
      order.awardStatus = 'void';
      return;
    }
    const target = cancelled ? awardPoints : reversalTarget(order.awardLines ?? [], order.awardOrderTotal ?? 0, awardPoints, await refundFacts(tx, order));
    const delta = target - order.reversedPoints;
    if (delta <= 0) return;
    order.reversedPoints += delta;
    if (order.awardStatus === 'pending') {
      await postFor(tx, order, { kind: 'reverse', from: 'pending', to: null, points: delta });
      return;
    }
    await reverseAvailable(tx, order, delta, settings);
  }

  /** D5: from the available balance; what it lacks becomes debt or is written off, per the program. */
  async function reverseAvailable(tx: Tx, order: OrderRecord, points: number, settings: ProgramSettings): Promise<void> {
    if (!order.memberId) return;
    if (settings.negativeBalance === 'allow') {
      await postFor(tx, order, { kind: 'reverse', from: 'available', to: null, points }, { allowNegative: true });
      return;
    }
    const member = await lockedMember(tx, order.shopId, order.memberId);
    const covered = Math.min(points, Math.max(member.balance.available, 0));
    await postFor(tx, order, { kind: 'reverse', from: 'available', to: null, points: covered });
    await postFor(tx, order, { kind: 'writeoff', from: null, to: null, points: points - covered });
    order.writtenOffPoints += points - covered;
  }

  /**
   * D6: the redemption an order carried. Placing (or paying) the order commits its hold; a hold already expired
   * is recorded, not burnt. Cancelling releases a hold or restores what was spent; refunds restore the refunded
   * share of the redeemed points into their lots.
   */
  async function settleRedemption(tx: Tx, order: OrderRecord, data: OrderData): Promise<void> {
    const carried = data.pointsRedeemed?.redemptionId;
    if (carried && !order.redemptionId) {
      order.redemptionId = carried;
      order.redemptionStatus = order.cancelledAt ? 'held' : await redemptions.commitIn(tx, order.shopId, carried, order.orderId, 'storefront');
    }
    if (!order.redemptionId) return;
    if (order.cancelledAt && order.redemptionStatus !== 'committed') {
      // A cancelled order's hold goes back; one that had already gone keeps saying what became of it.
      const released = await redemptions.releaseIn(tx, order.shopId, order.redemptionId);
      order.redemptionStatus = released ? 'released' : ((await redemptions.findIn(tx, order.shopId, order.redemptionId))?.status ?? 'missing');
      return;
    }
    if (order.redemptionStatus !== 'committed') return;
    const redemption = await redemptions.findIn(tx, order.shopId, order.redemptionId);
    if (!redemption) return;
    const refunded = order.refundCount === 0 ? 0 : (await repo.refundsOf(tx, order.shopId, order.orderId)).reduce((sum, r) => sum + r.amount, 0);
    const target = restoreTarget(redemption.points, refunded, order.data.total, order.cancelledAt !== null);
    if (target > redemption.restoredPoints) await redemptions.restoreIn(tx, order.shopId, order.redemptionId, target - redemption.restoredPoints, null);
  }

  async function refundFacts(tx: Tx, order: OrderRecord): Promise<RefundFacts> {
    const facts: RefundFacts = { lines: new Map(), amountOnly: 0 };
    if (order.refundCount === 0) return facts;
    for (const refund of await repo.refundsOf(tx, order.shopId, order.orderId)) {
      if (!refund.lines || refund.lines.length === 0) {
        facts.amountOnly += refund.amount;
        continue;
      }
      for (const line of refund.lines) {
        const seen = facts.lines.get(line.lineId) ?? { quantity: 0, amount: 0 };
        facts.lines.set(line.lineId, { quantity: seen.quantity + line.quantity, amount: seen.amount + line.amount });
      }
    }
    return facts;
  }

  /** D2: the award's facts on the order, pending until `pendingDays` after the event that earned it (D3). */
  function planAward(order: OrderRecord, data: OrderData, occurredAt: Date, settings: ProgramSettings, shopRules: EarningRule[], firstOrder: boolean): number {
    const plan = computeAward(toEarningOrder(data), settings, shopRules, {
      tierId: null,
      tierMultiplier: 1,
      firstOrder,
    });
    Object.assign(order, {
      awardStatus: 'pending',
      awardPoints: plan.points,
      awardEligible: plan.eligible,
      awardedAt: occurredAt,
      awardAvailableAt: new Date(occurredAt.getTime() + settings.pendingDays * DAY_MS),
      awardLines: plan.lines,
      awardRules: plan.rulesApplied,
      // D5: refunds by amount are measured against the money paid for what earned points.
      awardOrderTotal: plan.lines.reduce((total, line) => total + line.paid, 0),
    });
    return plan.points;
  }

  /** D2/D3: the award, pending (or matured at once if already due), and settled against what the order has seen. */
  async function createAward(tx: Tx, order: OrderRecord, data: OrderData, occurredAt: Date, settings: ProgramSettings): Promise<void> {
    const shopRules = await rules.forEarning(order.shopId, tx);
    const firstOrder = needsHistory(shopRules) && order.memberId !== null ? !(await repo.hasEarlierAward(tx, order.shopId, order.memberId, order.orderId)) : true;
    const points = planAward(order, data, occurredAt, settings, shopRules, firstOrder);
    await postFor(tx, order, { kind: 'earn', from: null, to: 'pending', points });
    await settle(tx, order, settings);
    if (order.awardStatus === 'pending' && order.awardAvailableAt! <= clock.now()) await matureAward(tx, order, settings);
  }

  /** The member an order belongs to, locked: its customer (created if new), or none for a guest (D10). */
  async function resolveMember(tx: Tx, shopId: string, data: OrderData): Promise<Member | null> {
    const customer = data.customer;
    if (!customer?.id) return null;
    let member = await memberRepo.lockMember(tx, shopId, customer.id);
    if (!member) {
      const now = clock.now();
      const inserted = await memberRepo.insertMemberIfMissing(tx, shopId, customer.id, newId('mem', now.getTime()), profileOf(customer), now);
      // A row this transaction inserted is already locked by it; one a concurrent event inserted first is not.
      member = inserted.created ? inserted.member : await memberRepo.lockMemberById(tx, shopId, inserted.member.id);
    }
    if (member) remember(tx, member);
    return member;
  }

  /** D10: attaches a verified e-mail's guest orders to the member, with their points as they stand now. */
  async function claimGuestOrders(tx: Tx, member: Member): Promise<number> {
    if (!member.email || !member.emailVerified) return 0;
    const settings = await program.get(member.shopId, tx);
    let claimed = 0;
    for (const orderId of await repo.unclaimedOrders(tx, member.shopId, member.email)) {
      const order = await repo.lockOrder(tx, member.shopId, orderId);
      if (!order || order.memberId) continue;
      order.memberId = member.id;
      order.customerId = member.customerId;
      const open = (order.awardPoints ?? 0) - order.reversedPoints;
      if (order.awardStatus === 'pending' || order.awardStatus === 'available') {
        await postFor(tx, order, { kind: 'earn', from: null, to: 'pending', points: open });
      }
      if (order.awardStatus === 'available') {
        await postFor(tx, order, { kind: 'mature', from: 'pending', to: 'available', points: open }, { lotExpiresAt: lotExpiry(settings.expiry, order.awardAvailableAt!) });
      }
      await repo.saveOrder(tx, { ...order, updatedAt: clock.now() });
      claimed++;
    }
    return claimed;
  }

  function awardTrigger(type: OrderEventType, settings: ProgramSettings): boolean {
    return type === 'order.completed' || (type === 'order.paid' && settings.awardOn === 'paid');
  }

  return {
    /**
     * Applies one order event inside the event's transaction (D3, D4, D15): records the event id (a seen id is a
     * duplicate, null, and changes nothing) and the order, awards it at most once, voids or reverses on cancellation.
     * Throws currency_mismatch.
     */
    async applyOrderEvent(
      tx: Tx,
      shopId: string,
      event: repo.InboundEvent & { type: OrderEventType },
      data: OrderData,
      refund?: RefundData,
    ): Promise<EventOutcome | null> {
      const { type, occurredAt } = event;
      const settings = await program.get(shopId, tx);
      checkCurrency(data, settings);
      const status = type.slice('order.'.length);
      const opened = await repo.openOrderEvent(tx, shopId, event, data, status);
      if (!opened.fresh) return null;
      const { order, created } = opened;
      if (!order.memberId && !order.guestEmail) {
        const member = await resolveMember(tx, shopId, data);
        order.memberId = member?.id ?? null;
      }
      if (!created) takeStatus(order, status, occurredAt, data);
      if (!order.memberId && !(settings.guestAccrual && order.guestEmail)) {
        await repo.saveOrder(tx, { ...order, updatedAt: clock.now() });
        return 'ignored';
      }
      let outcome: EventOutcome = 'applied';
      if (type === 'order.cancelled') {
        if (order.cancelledAt && order.cancelledAt >= occurredAt) outcome = 'duplicate';
        else order.cancelledAt = occurredAt;
      }
      if (type === 'order.refunded' && refund) {
        const fresh = await repo.insertRefund(tx, shopId, {
          refundId: refund.id,
          orderId: order.orderId,
          amount: refund.amount,
          lines: refund.lines ?? null,
          reason: refund.reason ?? null,
          occurredAt,
        }, clock.now());
        if (fresh) order.refundCount += 1;
        else outcome = 'duplicate';
      }
      // createAward settles the new award itself; everything else settles here.
      if (awardTrigger(type, settings) && !order.awardStatus) await createAward(tx, order, data, occurredAt, settings);
      else {
        if (awardTrigger(type, settings)) outcome = 'duplicate';
        await settle(tx, order, settings);
      }
      await settleRedemption(tx, order, data);
      await repo.saveOrder(tx, { ...order, updatedAt: clock.now() });
      return outcome;
    },

    /**
     * The usual order event in two round trips with no transaction held open (D3, D15): the award of a known
     * member's order. The event id, the order and the member are read without locks, the award is planned with the
     * rules applyOrderEvent uses, and everything is written in one statement guarded by the versions read.
     * Returns 'duplicate' for an event id seen before, and undefined, having written nothing, for anything else (a
     * refund, a cancellation, a redemption, a guest, a new member, an award that matures at once, a shop with a
     * firstOrder rule) or when a guard failed: the caller then applies the event with applyOrderEvent, under locks.
     */
    async applyOptimistically(shopId: string, event: repo.InboundEvent & { type: OrderEventType }, data: OrderData): Promise<'applied' | 'duplicate' | undefined> {
      const { type, occurredAt } = event;
      const status = type.slice('order.'.length);
      const customerId = data.customer?.id;
      if (!customerId || data.pointsRedeemed?.redemptionId || type === 'order.cancelled' || type === 'order.refunded') return undefined;
      const settings = await program.get(shopId);
      checkCurrency(data, settings);
      if (!awardTrigger(type, settings)) return undefined;
      const shopRules = await rules.forEarning(shopId);
      // A firstOrder rule asks about the member's other orders, which no version read here guards.
      if (needsHistory(shopRules)) return undefined;
      const snapshot = await repo.orderEventSnapshot(db, shopId, event.eventId, data.id, customerId);
      if (snapshot.seen) return 'duplicate';
      if (!snapshot.member) return undefined;
      const member = memberFromRow(snapshot.member);
      const order = snapshot.order ?? repo.newOrder(shopId, data, status, occurredAt, event.receivedAt);
      if (snapshot.order) {
        const { memberId, awardStatus, cancelledAt, refundCount, redemptionId } = snapshot.order;
        if (memberId !== member.id || awardStatus || cancelledAt || refundCount > 0 || redemptionId) return undefined;
        takeStatus(order, status, occurredAt, data);
      }
      order.memberId = member.id;
      const points = planAward(order, data, occurredAt, settings, shopRules, true);
      const now = clock.now();
      if (points <= 0 || order.awardAvailableAt! <= now) return undefined;
      order.updatedAt = now;
      const posting = { move: { kind: 'earn', from: null, to: 'pending', points } as const, actor: 'storefront', orderId: order.orderId, exchangeRate: order.exchangeRate };
      try {
        const posted = await tryPost(db, member, posting, now, undefined, repo.withOrderEvent(event, order, snapshot.order?.version ?? null));
        return posted ? 'applied' : undefined;
      } catch (error) {
        // A lost guard, or a deadlock with a locked command (this statement locks the member, then the order; the
        // locked path the other way round): the locked path, with its retries, applies the event.
        if (pgErrorCode(error) === GUARD_FAILED || isRetryable(error)) return undefined;
        throw error;
      }
    },

    claimGuestOrders,

    /** PUT /v1/members and customer.upserted: the profile, then any guest orders its verified e-mail claims. */
    async upsertCustomer(shopId: string, customerId: string, profile: Profile, tx?: Tx) {
      validateProfile(profile, clock.now());
      const run = async (t: Tx) => {
        const now = clock.now();
        const result = await memberRepo.upsertProfile(t, shopId, customerId, newId('mem', now.getTime()), profile, now);
        await claimGuestOrders(t, result.member);
        return result;
      };
      return tx ? run(tx) : withTx(db, run);
    },

    /** D3: matures every pending award due by `asOf`, in chunks; idempotent (a matured award is not pending). */
    async matureDue(shopId: string | null, asOf: Date, dryRun = false): Promise<{ matured: number; points: number }> {
      let matured = 0;
      let points = 0;
      for (;;) {
        const due = await repo.dueAwards(reader(db), shopId, asOf, MATURE_CHUNK);
        if (dryRun) {
          for (const { shopId: s, orderId } of due) {
            const order = await repo.findOrder(reader(db), s, orderId);
            points += (order?.awardPoints ?? 0) - (order?.reversedPoints ?? 0);
          }
          return { matured: due.length, points };
        }
        for (const { shopId: s, orderId } of due) {
          await withTx(db, async (tx) => {
            const order = await repo.lockOrder(tx, s, orderId);
            if (!order || order.awardStatus !== 'pending' || order.awardAvailableAt! > asOf) return;
            await matureAward(tx, order, await program.get(s, tx));
            await repo.saveOrder(tx, { ...order, updatedAt: clock.now() });
            matured++;
            points += (order.awardPoints ?? 0) - order.reversedPoints;
          });
        }
        if (due.length < MATURE_CHUNK) return { matured, points };
      }
    },

    /** Throws not_found. */
    async get(shopId: string, orderId: string) {
      const order = await repo.findOrder(reader(db), shopId, orderId);
      if (!order) throw notFound('Order');
      const redemption = order.redemptionId ? await redemptions.findIn(reader(db), shopId, order.redemptionId) : null;
      return { order, refunds: await repo.refundsOf(reader(db), shopId, orderId), redemption };
    },
  };
}

/** The latest event by occurredAt sets the order's status and data (D3); an older one only adds its facts. */
function takeStatus(order: OrderRecord, status: string, occurredAt: Date, data: OrderData): void {
  if (occurredAt >= order.statusAt) Object.assign(order, { status, statusAt: occurredAt, data, number: data.number ?? order.number });
}

/** Only a firstOrder rule needs the member's history (D12). */
function needsHistory(shopRules: EarningRule[]): boolean {
  return shopRules.some((r) => r.conditions.firstOrder === true);
}

/** D1: an order in another currency needs the rate to the program's. */
function checkCurrency(data: OrderData, settings: ProgramSettings): void {
  if (!isCurrency(data.currency)) {
    throw validationFailed([{ field: '/data/order/currency', message: 'must be an ISO 4217 currency code' }]);
  }
  if (data.currency !== settings.currency && data.exchangeRate === null) {
    throw new DomainError(
      'currency_mismatch',
      `The order is in ${data.currency}, the program in ${settings.currency}: send exchangeRate (${settings.currency} per ${data.currency})`,
    );
  }
}

export function toEarningOrder(data: OrderData): EarningOrder {
  return {
    id: data.id,
    currency: data.currency,
    exchangeRate: data.exchangeRate,
    lines: data.lines.map((l) => ({
      id: l.id,
      productId: l.productId ?? null,
      sku: l.sku ?? null,
      categories: l.categories ?? [],
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      total: l.total,
      discount: l.discount,
    })),
    discount: data.discount,
    shipping: data.shipping,
    tax: data.tax,
    total: data.total,
    pointsAmount: data.pointsRedeemed?.amount ?? 0,
    placedAt: new Date(data.placedAt),
  };
}

export function profileOf(customer: NonNullable<OrderData['customer']>): Profile {
  return {
    email: customer.email?.toLowerCase() ?? null,
    emailVerified: customer.emailVerified ?? false,
    firstName: customer.firstName ?? null,
    lastName: customer.lastName ?? null,
    locale: customer.locale ?? 'en',
    birthday: customer.birthday ?? null,
    marketingConsent: customer.marketingConsent ?? false,
    referredBy: null,
  };
}
