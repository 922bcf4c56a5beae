export type RedemptionStatus = 'held' | 'committed' | 'released' | 'expired';

/** D6: points held for a cart or order, then committed (burnt) or released. */
export interface Redemption {
  shopId: string;
  id: string;
  memberId: string;
  customerId: string;
  cartId: string | null;
  points: number;
  amount: number;
  currency: string;
  status: RedemptionStatus;
  orderId: string | null;
  expiresAt: Date;
  commitEntryId: string | null;
  restoredPoints: number;
  createdAt: Date;
  updatedAt: Date;
}
