import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Executor } from '../../db/tx.ts';
import { addLifetime, applyMove, lifetimeDelta, lotBacked } from './ledger-rules.ts';
import type { Bucket, Buckets, EntryKind, Lifetime } from './ledger-types.ts';

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

type MemberRow = {
  shop_id: string;
  id: string;
  customer_id: string;
  pending: number;
  available: number;
  held: number;
  lifetime_earned: number;
  lifetime_redeemed: number;
  lifetime_expired: number;
  lot_remaining: number;
};

type GroupRow = {
  shop_id: string;
  member_id: string;
  kind: EntryKind;
  from_bucket: Bucket | null;
  to_bucket: Bucket | null;
  points: number;
};

type LotRow = {
  shop_id: string;
  member_id: string;
  customer_id: string;
  id: string;
  amount: number;
  remaining: number;
  moved: number;
  created: number;
};

/**
 * D13: recomputes every bucket, lifetime figure and lot from the entries and movements alone and lists each
 * difference from the stored state. `shopId` null checks every shop (operators).
 */
export async function checkLedger(db: Db, shopId: string | null): Promise<CheckReport> {
  // One snapshot for every query: on a live system, writes between the queries would look like differences.
  return db.transaction((tx) => checkIn(tx, shopId), { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

async function checkIn(db: Executor, shopId: string | null): Promise<CheckReport> {
  const members = await db.execute<MemberRow>(sql`
    SELECT m.shop_id, m.id, m.customer_id, m.pending, m.available, m.held,
           m.lifetime_earned, m.lifetime_redeemed, m.lifetime_expired,
           coalesce((SELECT sum(l.remaining) FROM lots l WHERE l.shop_id = m.shop_id AND l.member_id = m.id), 0)::int AS lot_remaining
      FROM members m WHERE ${shopId}::text IS NULL OR m.shop_id = ${shopId}`);
  const groups = await db.execute<GroupRow>(sql`
    SELECT shop_id, member_id, kind, from_bucket, to_bucket, sum(points)::int AS points
      FROM ledger_entries WHERE ${shopId}::text IS NULL OR shop_id = ${shopId}
     GROUP BY shop_id, member_id, kind, from_bucket, to_bucket`);
  const badLots = await db.execute<LotRow>(sql`
    SELECT l.shop_id, l.member_id, m.customer_id, l.id, l.amount, l.remaining,
           coalesce(sum(mv.points), 0)::int AS moved,
           coalesce(sum(mv.points) FILTER (WHERE mv.entry_id = l.entry_id AND mv.points > 0), 0)::int AS created
      FROM lots l
      JOIN members m ON m.shop_id = l.shop_id AND m.id = l.member_id
      LEFT JOIN lot_movements mv ON mv.shop_id = l.shop_id AND mv.lot_id = l.id
     WHERE ${shopId}::text IS NULL OR l.shop_id = ${shopId}
     GROUP BY l.shop_id, l.member_id, m.customer_id, l.id, l.amount, l.remaining
    HAVING l.remaining <> coalesce(sum(mv.points), 0)
        OR l.amount <> coalesce(sum(mv.points) FILTER (WHERE mv.entry_id = l.entry_id AND mv.points > 0), 0)
        OR l.remaining < 0 OR l.remaining > l.amount`);

  const derived = new Map<string, { buckets: Buckets; lifetime: Lifetime }>();
  for (const g of groups.rows) {
    const key = `${g.shop_id}/${g.member_id}`;
    const current = derived.get(key) ?? { buckets: { pending: 0, available: 0, held: 0 }, lifetime: { earned: 0, redeemed: 0, expired: 0 } };
    const move = { kind: g.kind, from: g.from_bucket, to: g.to_bucket, points: g.points };
    derived.set(key, { buckets: applyMove(current.buckets, move), lifetime: addLifetime(current.lifetime, lifetimeDelta(move)) });
  }

  const differences: Difference[] = [];
  for (const m of members.rows) {
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
  for (const l of badLots.rows) {
    const at = { shopId: l.shop_id, memberId: l.member_id, customerId: l.customer_id, lotId: l.id };
    if (l.remaining !== l.moved) differences.push({ ...at, check: 'lot.remaining = sum(movements)', expected: l.moved, actual: l.remaining });
    if (l.amount !== l.created) differences.push({ ...at, check: 'lot.amount = its creation', expected: l.created, actual: l.amount });
    if (l.remaining < 0 || l.remaining > l.amount) {
      differences.push({ ...at, check: 'lot.remaining within 0..amount', expected: l.amount, actual: l.remaining });
    }
  }
  return { ok: differences.length === 0, members: members.rows.length, differences };
}
