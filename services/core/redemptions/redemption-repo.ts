import { and, asc, eq, lte } from 'drizzle-orm';
import { redemptions } from '../../db/schema/index.ts';
import { namedQuery } from '../../db/raw.ts';
import type { Executor } from '../../db/tx.ts';
import { memberSnapshotFromRow, OPEN_LOTS_JSON, type LotJson } from '../ledger/ledger-repo.ts';
import type { OpenLot } from '../ledger/ledger-types.ts';
import type { Member } from '../members/member-types.ts';

export type RedemptionStatus = 'held' | 'committed' | 'released' | 'expired';
export type Redemption = Omit<typeof redemptions.$inferSelect, 'status'> & { status: RedemptionStatus };

const row = (r: typeof redemptions.$inferSelect): Redemption => ({ ...r, status: r.status as RedemptionStatus });

export async function insertRedemption(tx: Executor, redemption: Redemption): Promise<void> {
  await tx.insert(redemptions).values(redemption);
}

export async function findRedemption(tx: Executor, shopId: string, id: string): Promise<Redemption | null> {
  const rows = await tx.select().from(redemptions).where(and(eq(redemptions.shopId, shopId), eq(redemptions.id, id)));
  return rows[0] ? row(rows[0]) : null;
}

export async function lockRedemption(tx: Executor, shopId: string, id: string): Promise<Redemption | null> {
  const rows = await tx.select().from(redemptions).where(and(eq(redemptions.shopId, shopId), eq(redemptions.id, id))).for('update');
  return rows[0] ? row(rows[0]) : null;
}

export async function heldForCart(tx: Executor, shopId: string, memberId: string, cartId: string): Promise<Redemption[]> {
  const rows = await tx
    .select()
    .from(redemptions)
    .where(and(eq(redemptions.shopId, shopId), eq(redemptions.memberId, memberId), eq(redemptions.cartId, cartId), eq(redemptions.status, 'held')))
    .for('update');
  return rows.map(row);
}

export async function saveRedemption(tx: Executor, r: Redemption): Promise<void> {
  const { shopId, id, createdAt: _c, ...rest } = r;
  await tx.update(redemptions).set(rest).where(and(eq(redemptions.shopId, shopId), eq(redemptions.id, id)));
}

/** Holds past their TTL by `asOf`, oldest first, a chunk at a time. */
export async function expiredHolds(tx: Executor, shopId: string | null, asOf: Date, limit: number): Promise<{ shopId: string; id: string }[]> {
  return tx
    .select({ shopId: redemptions.shopId, id: redemptions.id })
    .from(redemptions)
    .where(and(shopId ? eq(redemptions.shopId, shopId) : undefined, eq(redemptions.status, 'held'), lte(redemptions.expiresAt, asOf)))
    .orderBy(asc(redemptions.expiresAt))
    .limit(limit);
}

/**
 * A redemption with its member and the member's first open lots, in one round trip and without a lock: the read
 * half of an optimistic commit (the write is guarded by the member's version).
 */
export async function redemptionSnapshot(
  tx: Executor,
  shopId: string,
  id: string,
  lotPage: number,
  lock = false,
): Promise<{ redemption: Redemption; member: Member; lots: OpenLot[] } | null> {
  const [name, text] = lock
    ? ['lojal_redemption_snapshot_lock', `${REDEMPTION_SNAPSHOT_SQL} FOR UPDATE OF r, m`]
    : ['lojal_redemption_snapshot', REDEMPTION_SNAPSHOT_SQL];
  const rows = await namedQuery<Record<string, unknown>>(tx, name, text, [shopId, id, lotPage]);
  const r = rows[0];
  if (!r) return null;
  const snapshot = memberSnapshotFromRow(r.member as Record<string, unknown>, r.lots as LotJson[]);
  return {
    redemption: {
      shopId: r.shop_id as string,
      id: r.id as string,
      memberId: r.member_id as string,
      customerId: r.customer_id as string,
      cartId: r.cart_id as string | null,
      points: r.points as number,
      amount: r.amount as number,
      currency: r.currency as string,
      status: r.status as RedemptionStatus,
      orderId: r.order_id as string | null,
      expiresAt: r.expires_at as Date,
      commitEntryId: r.commit_entry_id as string | null,
      restoredPoints: r.restored_points as number,
      createdAt: r.created_at as Date,
      updatedAt: r.updated_at as Date,
    },
    ...snapshot,
  };
}

const REDEMPTION_SNAPSHOT_SQL = `
  SELECT r.*, row_to_json(m) AS member, ${OPEN_LOTS_JSON} AS lots
    FROM redemptions r JOIN members m ON m.shop_id = r.shop_id AND m.id = r.member_id
   WHERE r.shop_id = $1 AND r.id = $2`;
