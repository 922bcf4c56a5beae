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

export interface Member extends Profile {
  shopId: string;
  id: string;
  customerId: string;
  balance: Buckets;
  lifetime: Lifetime;
  version: number;
  lastActivityAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  erasedAt: Date | null;
}
