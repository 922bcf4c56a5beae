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

/**
 * Takes the lock that program changes queue on: the shop's row (a program row may not exist yet), FOR NO KEY UPDATE,
 * which the foreign-key checks of the shop's other writes (KEY SHARE) do not wait for. A statement of its own: read
 * after it, in read committed, the settings are the latest committed (a join locking only the shop would return
 * the settings as they were before it waited). False when there is no such shop.
 */
export async function lockProgram(tx: Executor, shopId: string): Promise<boolean> {
  const rows = await tx.select({ id: shops.id }).from(shops).where(eq(shops.id, shopId)).for('no key update');
  return rows.length > 0;
}

export async function saveSettings(tx: Executor, shopId: string, settings: unknown, now: Date): Promise<void> {
  await tx
    .insert(programs)
    .values({ shopId, settings, updatedAt: now })
    .onConflictDoUpdate({ target: programs.shopId, set: { settings, updatedAt: now } });
}
