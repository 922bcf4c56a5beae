import type { Buckets, Lifetime } from '../ledger/ledger-types.ts';

export interface Profile {
  email: string | null;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  locale: string;
  birthday: string | null;
  marketingConsent: boolean;
  referredBy: string | null;
}

/** D9: where the member stands among the shop's tiers (all null while the shop has none). */
export interface MemberTier {
  id: string | null;
  since: Date | null;
  /** When the downgrade job next looks at the member (window end + retainMonths); null: never. */
  reviewAt: Date | null;
  /** A tier set by hand holds until then. */
  heldUntil: Date | null;
}

export interface Member extends Profile {
  shopId: string;
  id: string;
  customerId: string;
  balance: Buckets;
  lifetime: Lifetime;
  tier: MemberTier;
  version: number;
  lastActivityAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  erasedAt: Date | null;
}
