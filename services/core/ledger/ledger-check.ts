import type { Db } from '../../db/client.ts';
import type { Executor } from '../../db/tx.ts';
import { entryGroups, inconsistentLots, memberTotals } from './ledger-check-repo.ts';
import { addLifetime, applyMove, lifetimeDelta, lotBacked } from './ledger-rules.ts';
import type { Buckets, Lifetime } from './ledger-types.ts';

export interface Difference {
  shopId: string;
  memberId: string;
  customerId: string;
  check: string;
  expected: number;
  actual: number;
  lotId?: string;
}

export interface CheckReport {
  ok: boolean;
  members: number;
  differences: Difference[];
}

/**
 * D13: recomputes every bucket, lifetime figure and lot from the entries and movements alone and lists each
 * difference from the stored state. `shopId` null checks every shop (operators).
 */
export async function checkLedger(db: Db, shopId: string | null): Promise<CheckReport> {
  // One snapshot for every query: on a live system, writes between the queries would look like differences.
  return db.transaction((tx) => checkIn(tx, shopId), { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

async function checkIn(db: Executor, shopId: string | null): Promise<CheckReport> {
  const [members, groups, badLots] = [await memberTotals(db, shopId), await entryGroups(db, shopId), await inconsistentLots(db, shopId)];
  const derived = new Map<string, { buckets: Buckets; lifetime: Lifetime }>();
  for (const g of groups) {
    const key = `${g.shop_id}/${g.member_id}`;
    const current = derived.get(key) ?? { buckets: { pending: 0, available: 0, held: 0 }, lifetime: { earned: 0, redeemed: 0, expired: 0 } };
    const move = { kind: g.kind, from: g.from_bucket, to: g.to_bucket, points: g.points };
    derived.set(key, { buckets: applyMove(current.buckets, move), lifetime: addLifetime(current.lifetime, lifetimeDelta(move)) });
  }

  const differences: Difference[] = [];
  for (const m of members) {
    const expected = derived.get(`${m.shop_id}/${m.id}`) ?? { buckets: { pending: 0, available: 0, held: 0 }, lifetime: { earned: 0, redeemed: 0, expired: 0 } };
    const at = { shopId: m.shop_id, memberId: m.id, customerId: m.customer_id };
    const compare = (check: string, want: number, have: number) => {
      if (want !== have) differences.push({ ...at, check, expected: want, actual: have });
    };
    compare('pending', expected.buckets.pending, m.pending);
    compare('available', expected.buckets.available, m.available);
    compare('held', expected.buckets.held, m.held);
    compare('lifetime.earned', expected.lifetime.earned, m.lifetime_earned);
    compare('lifetime.redeemed', expected.lifetime.redeemed, m.lifetime_redeemed);
    compare('lifetime.expired', expected.lifetime.expired, m.lifetime_expired);
    compare('lots.remaining = max(available, 0) + held', lotBacked(expected.buckets), m.lot_remaining);
    if (m.pending < 0 || m.held < 0) compare('non-negative buckets', 0, Math.min(m.pending, m.held));
  }
  for (const l of badLots) {
    const at = { shopId: l.shop_id, memberId: l.member_id, customerId: l.customer_id, lotId: l.id };
    if (l.remaining !== l.moved) differences.push({ ...at, check: 'lot.remaining = sum(movements)', expected: l.moved, actual: l.remaining });
    if (l.amount !== l.created) differences.push({ ...at, check: 'lot.amount = its creation', expected: l.created, actual: l.amount });
    if (l.remaining < 0 || l.remaining > l.amount) {
      differences.push({ ...at, check: 'lot.remaining within 0..amount', expected: l.amount, actual: l.remaining });
    }
  }
  return { ok: differences.length === 0, members: members.length, differences };
}
