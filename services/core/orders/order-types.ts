import type { LineSnapshot } from '../earning/earning-types.ts';
import type { ProfileInput } from '../members/member-rules.ts';

/** A customer as storefront events carry it (docs/events.md): the shop's id for it and its profile. */
export interface CustomerData extends Omit<ProfileInput, 'referredBy'> {
  id: string | null;
  email: string | null;
}

export interface OrderLineData {
  id: string;
  productId?: string | null;
  sku?: string | null;
  name?: string | null;
  categories?: string[];
  quantity: number;
  unitPrice: number;
  total: number;
  discount: number;
}

export interface OrderData {
  id: string;
  number?: string | null;
  status?: string | null;
  customer: CustomerData | null;
  currency: string;
  /** D1: absent and null alike mean "no rate" (the event schema lets a storefront leave the key out). */
  exchangeRate?: number | null;
  lines: OrderLineData[];
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  pointsRedeemed: { redemptionId: string; points: number; amount: number } | null;
  placedAt: string;
}

export interface RefundData {
  id: string;
  amount: number;
  lines?: { lineId: string; quantity: number; amount: number }[];
  reason?: string | null;
}

export type OrderEventType = 'order.placed' | 'order.paid' | 'order.completed' | 'order.cancelled' | 'order.refunded';

export type AwardStatus = 'pending' | 'available' | 'void';

export interface OrderRecord {
  shopId: string;
  orderId: string;
  number: string | null;
  customerId: string | null;
  memberId: string | null;
  guestEmail: string | null;
  status: string;
  statusAt: Date;
  cancelledAt: Date | null;
  currency: string;
  exchangeRate: string | null;
  data: OrderData;
  awardStatus: AwardStatus | null;
  awardPoints: number | null;
  awardEligible: number | null;
  awardedAt: Date | null;
  awardAvailableAt: Date | null;
  awardLines: LineSnapshot[] | null;
  awardRules: { ruleId: string; version: number }[] | null;
  awardOrderTotal: number | null;
  refundCount: number;
  redemptionId: string | null;
  redemptionStatus: string | null;
  reversedPoints: number;
  writtenOffPoints: number;
  /** Bumped by every save: a write planned without the row lock applies only to the version it read. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface RefundRecord {
  refundId: string;
  orderId: string;
  amount: number;
  lines: { lineId: string; quantity: number; amount: number }[] | null;
  reason: string | null;
  occurredAt: Date;
}
