import { and, asc, eq, lte } from 'drizzle-orm';
import { redemptions } from '../../db/schema/index.ts';
import type { Executor } from '../../db/tx.ts';

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
