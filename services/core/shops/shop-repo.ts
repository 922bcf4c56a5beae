import { eq } from 'drizzle-orm';
import { shops } from '../../db/schema/index.ts';
import type { Executor } from '../../db/tx.ts';
import type { Shop } from './shop-types.ts';

/** The shops table: the tenants (D20). */

export async function insertShop(tx: Executor, shop: Shop): Promise<void> {
  await tx.insert(shops).values(shop);
}

export async function findShop(tx: Executor, shopId: string): Promise<Shop | null> {
  const rows = await tx.select().from(shops).where(eq(shops.id, shopId)).limit(1);
  return rows[0] ?? null;
}
