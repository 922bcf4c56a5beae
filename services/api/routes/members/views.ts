import type { Awarded } from '../../../core/bonuses/bonus-service.ts';
import type { RecordedFeedback } from '../../../core/feedback/feedback-service.ts';
import type { Entry } from '../../../core/ledger/ledger-types.ts';
import type { MemberService } from '../../../core/members/member-service.ts';
import type { Member } from '../../../core/members/member-types.ts';
import type { TierService } from '../../../core/tiers/tier-service.ts';

type Standing = Awaited<ReturnType<TierService['standing']>>;
import { orderView } from '../orders/views.ts';

/** An entry as the member's activity shows it: the signed change of the bucket it is about. */
export function entryView(entry: Entry) {
  const { fromBucket: from, toBucket: to, points } = entry;
  const [bucket, signed] = to !== null ? [to, points] : from !== null ? [from, -points] : ['none', 0];
  return {
    id: entry.id,
    kind: entry.kind,
    points: signed,
    bucket,
    fromBucket: from,
    toBucket: to,
    ...(entry.orderId ? { orderId: entry.orderId } : {}),
    ...(entry.refundId ? { refundId: entry.refundId } : {}),
    ...(entry.redemptionId ? { redemptionId: entry.redemptionId } : {}),
    ...(entry.reference ? { reference: entry.reference } : {}),
    // D11: a bonus entry carries its kind in its metadata (bonuses/bonus-ledger.ts).
    ...(entry.kind === 'bonus' && typeof entry.metadata?.bonusKind === 'string' ? { bonusKind: entry.metadata.bonusKind } : {}),
    ...(entry.reason ? { reason: entry.reason } : {}),
    ...(entry.kind === 'adjust' && typeof entry.metadata?.by === 'string' ? { by: entry.metadata.by } : {}),
    ...(entry.expiresAt ? { expiresAt: entry.expiresAt.toISOString() } : {}),
    actor: entry.actor,
    createdAt: entry.createdAt.toISOString(),
  };
}

export function memberView(member: Member, expiring: { points: number; at: Date }[], tier: Standing = null) {
  return {
    customerId: member.customerId,
    email: member.email,
    emailVerified: member.emailVerified,
    firstName: member.firstName,
    lastName: member.lastName,
    locale: member.locale,
    birthday: member.birthday,
    marketingConsent: member.marketingConsent,
    referredBy: member.referredBy,
    tier: tier ? tierJson(tier) : null,
    balance: { available: member.balance.available, pending: member.balance.pending, held: member.balance.held },
    lifetime: member.lifetime,
    expiring: expiring.map((e) => ({ points: e.points, at: e.at.toISOString() })),
    createdAt: member.createdAt.toISOString(),
    updatedAt: member.updatedAt.toISOString(),
  };
}

/** D19: everything Lojal keeps about the member: its profile, every entry and lot, and its orders. */
export function exportView({ member, entries, lots, orders, exportedAt }: Awaited<ReturnType<MemberService['export']>>) {
  return {
    member: { memberId: member.id, ...memberView(member, []) },
    entries: entries.map((e) => ({ ...entryView(e), lotId: e.lotId, exchangeRate: e.exchangeRate, metadata: e.metadata })),
    lots: lots.map((l) => ({
      id: l.id,
      entryId: l.entryId,
      amount: l.amount,
      remaining: l.remaining,
      expiresAt: l.expiresAt?.toISOString() ?? null,
      createdAt: l.createdAt.toISOString(),
    })),
    orders: orders.map(orderView),
    exportedAt: exportedAt.toISOString(),
  };
}

/** D9: the member's tier as JSON: dates as RFC 3339. */
function tierJson(t: NonNullable<Standing>) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    ...t,
    since: t.since.toISOString(),
    retainUntil: iso(t.retainUntil),
    heldUntil: iso(t.heldUntil),
    qualifying: { ...t.qualifying, windowStart: iso(t.qualifying.windowStart), windowEnd: iso(t.qualifying.windowEnd) },
  };
}

/** D11: a bonus given (or, `duplicate`, the one given before), with the member's balance after it. */
export function bonusView({ bonus, member, duplicate }: Awarded) {
  const { available, pending, held } = member.balance;
  return {
    kind: bonus.kind,
    reference: bonus.reference,
    points: bonus.points,
    entryId: bonus.entryId,
    createdAt: bonus.createdAt.toISOString(),
    duplicate,
    balance: { available, pending, held },
  };
}

/** D14: an answer recorded through the shop's route, with the points it brought. */
export function feedbackView(recorded: RecordedFeedback) {
  return {
    orderId: recorded.orderId,
    score: recorded.score,
    comment: recorded.comment,
    answeredAt: recorded.answeredAt.toISOString(),
    bonus: recorded.bonus ? { points: recorded.bonus.points, entryId: recorded.bonus.entryId } : null,
  };
}