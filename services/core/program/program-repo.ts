import { and, eq, isNotNull } from 'drizzle-orm';
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

/** D9: the shop's tier configuration (null: none), what the tiers job still owes it, and the shop's zone and currency. */
export async function findTierSettings(tx: Executor, shopId: string): Promise<{
  tiers: unknown;
  changedAt: Date | null;
  remap: Record<string, string> | null;
  timezone: string;
  currency: string;
} | null> {
  const rows = await tx
    .select({ tiers: programs.tiers, changedAt: programs.tiersChangedAt, remap: programs.tiersRemap, timezone: shops.timezone, currency: shops.currency })
    .from(shops)
    .leftJoin(programs, eq(programs.shopId, shops.id))
    .where(eq(shops.id, shopId))
    .limit(1);
  const row = rows[0];
  return row ? { ...row, remap: (row.remap as Record<string, string> | null) ?? null } : null;
}

/** D9: saves the tiers and marks them changed (with the remapping of removed tiers) for the tiers job. */
export async function saveTierSettings(tx: Executor, shopId: string, tiers: unknown, remap: Record<string, string>, now: Date): Promise<void> {
  await tx
    .insert(programs)
    .values({ shopId, settings: {}, tiers, tiersChangedAt: now, tiersRemap: remap, updatedAt: now })
    .onConflictDoUpdate({ target: programs.shopId, set: { tiers, tiersChangedAt: now, tiersRemap: remap, updatedAt: now } });
}

/** D9: the shops whose tiers changed and whose members the tiers job has not re-evaluated yet. */
export async function shopsWithTierChanges(tx: Executor): Promise<string[]> {
  const rows = await tx.select({ shopId: programs.shopId }).from(programs).where(isNotNull(programs.tiersChangedAt));
  return rows.map((r) => r.shopId);
}

/** D9: every shop with tiers (the downgrade review runs for each). */
export async function shopsWithTiers(tx: Executor): Promise<string[]> {
  const rows = await tx.select({ shopId: programs.shopId }).from(programs).where(isNotNull(programs.tiers));
  return rows.map((r) => r.shopId);
}

/** D9: the re-evaluation of the change made at `changedAt` is done, unless the tiers changed again meanwhile. */
export async function clearTierChange(tx: Executor, shopId: string, changedAt: Date): Promise<void> {
  await tx
    .update(programs)
    .set({ tiersChangedAt: null, tiersRemap: null })
    .where(and(eq(programs.shopId, shopId), eq(programs.tiersChangedAt, changedAt)));
}
