import { eq } from 'drizzle-orm';
import { programs, shops } from '../../db/schema/index.ts';
import type { Executor } from '../../db/tx.ts';

/** The programs table: each shop's settings over the defaults (the shop's currency comes with them). */

export async function findSettings(tx: Executor, shopId: string): Promise<{ currency: string; settings: unknown } | null> {
  const rows = await tx
    .select({ currency: shops.currency, settings: programs.settings })
    .from(shops)
    .leftJoin(programs, eq(programs.shopId, shops.id))
    .where(eq(shops.id, shopId))
    .limit(1);
  return rows[0] ?? null;
}

export async function saveSettings(tx: Executor, shopId: string, settings: unknown, now: Date): Promise<void> {
  await tx
    .insert(programs)
    .values({ shopId, settings, updatedAt: now })
    .onConflictDoUpdate({ target: programs.shopId, set: { settings, updatedAt: now } });
}
