import { Type } from 'typebox';
import type { OrderDetail } from '../../../core/orders/order-service.ts';
import { Timestamp } from '../../schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const LineSnapshot = Type.Object({
  lineId: Type.String(),
  productId: Nullable(Type.String()),
  quantity: Type.Integer(),
  eligible: Type.Integer({ description: 'Eligible amount, program currency, minor units' }),
  basePoints: Type.Integer(),
  multiplier: Type.String({ description: 'The rules\' and the tier\'s multipliers combined' }),
  tier: Type.Optional(Type.Object({ id: Type.String(), multiplier: Type.String() }, { description: "D9: the member's tier when the award was made" })),
  bonusPoints: Type.Integer(),
  points: Type.Integer(),
});

export const OrderView = Type.Object({
  orderId: Type.String(),
  number: Nullable(Type.String()),
  customerId: Nullable(Type.String()),
  guest: Type.Boolean({ description: 'A guest order not yet claimed by a member (D10)' }),
  status: Type.String(),
  currency: Type.String(),
  exchangeRate: Nullable(Type.String()),
  award: Nullable(
    Type.Object({
      points: Type.Integer(),
      status: Type.Union([Type.Literal('pending'), Type.Literal('available'), Type.Literal('void')]),
      awardedAt: Timestamp,
      availableAt: Timestamp,
      eligible: Type.Integer(),
      lines: Type.Array(LineSnapshot),
      rules: Type.Array(Type.Object({ ruleId: Type.String(), version: Type.Integer() })),
    }),
  ),
  reversed: Type.Integer({ description: 'Award points taken back by refunds and cancellation' }),
  writtenOff: Type.Integer({ description: 'Part of the reversals forgiven (negativeBalance: writeoff)' }),
  redeemed: Type.Integer({ description: 'Points spent on this order' }),
  restored: Type.Integer({ description: 'Redeemed points given back by refunds' }),
  redemption: Nullable(
    Type.Object({
      id: Type.String(),
      status: Type.String({ description: 'committed; expired (the hold had expired: nothing was burnt); released; conflict; missing' }),
    }),
  ),
  refunds: Type.Array(Type.Object({ id: Type.String(), amount: Type.Integer(), reason: Nullable(Type.String()), occurredAt: Timestamp })),
});

/** An order as `GET /v1/orders/{id}` and a member's export show it. */
export function orderView({ order, refunds, redemption }: OrderDetail) {
  return {
    orderId: order.orderId,
    number: order.number,
    customerId: order.customerId,
    guest: order.memberId === null,
    status: order.status,
    currency: order.currency,
    exchangeRate: order.exchangeRate,
    award: order.awardStatus
      ? {
          points: order.awardPoints ?? 0,
          status: order.awardStatus,
          awardedAt: order.awardedAt!.toISOString(),
          availableAt: order.awardAvailableAt!.toISOString(),
          eligible: order.awardEligible ?? 0,
          lines: order.awardLines ?? [],
          rules: order.awardRules ?? [],
        }
      : null,
    reversed: order.reversedPoints,
    writtenOff: order.writtenOffPoints,
    redeemed: redemption?.status === 'committed' ? redemption.points : 0,
    restored: redemption?.restoredPoints ?? 0,
    redemption: order.redemptionId ? { id: order.redemptionId, status: order.redemptionStatus ?? 'unknown' } : null,
    refunds: refunds.map((r) => ({ id: r.refundId, amount: r.amount, reason: r.reason, occurredAt: r.occurredAt.toISOString() })),
  };
}
