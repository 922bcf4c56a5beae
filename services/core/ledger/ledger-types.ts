export const BUCKETS = ['pending', 'available', 'held'] as const;
export type Bucket = (typeof BUCKETS)[number];

export const ENTRY_KINDS = [
  'earn', // an order's award, into pending (D3)
  'mature', // pending → available, a new lot (D3, D8)
  'void', // pending points of a cancelled order (D4)
  'hold', // available → held at checkout (D6)
  'release', // held → available: cancelled or expired hold (D6)
  'commit', // held → out: points spent, lots consumed (D6)
  'reverse', // refund or return (D5)
  'restore', // redeemed points back into their lots on refund (D6)
  'expire', // a lot's remainder expires (D8)
  'adjust', // operator correction, ± (audit: who, why)
  'bonus', // sign-up, birthday, review, referral, feedback (D11)
  'import', // points carried over from another system
  'writeoff', // a reversal's shortfall forgiven (D5 negativeBalance: writeoff); moves nothing
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface Buckets {
  pending: number;
  available: number;
  held: number;
}

export interface Lifetime {
  earned: number;
  redeemed: number;
  expired: number;
}

/** A transfer of `points` (> 0) between buckets; a null side is outside the member. */
export interface Move {
  kind: EntryKind;
  from: Bucket | null;
  to: Bucket | null;
  points: number;
}

export interface OpenLot {
  id: string;
  remaining: number;
  amount: number;
  expiresAt: Date | null;
  createdAt: Date;
}

export interface LotTake {
  lotId: string;
  points: number;
}

export interface EntryRefs {
  orderId?: string | null;
  refundId?: string | null;
  redemptionId?: string | null;
  reference?: string | null;
  reason?: string | null;
  exchangeRate?: string | null;
  correctsEntryId?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface Entry extends EntryRefs {
  id: string;
  seq?: number;
  memberId: string;
  kind: EntryKind;
  fromBucket: Bucket | null;
  toBucket: Bucket | null;
  points: number;
  actor: string;
  lotId: string | null;
  expiresAt: Date | null;
  createdAt: Date;
}
