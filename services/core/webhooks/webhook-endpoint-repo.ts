import { eq } from 'drizzle-orm';
import { webhookEndpoints } from '../../db/schema/index.ts';
import type { Executor } from '../../db/tx.ts';

/** The webhook_endpoints table: at most one endpoint per shop (D16). */

export interface Endpoint {
  url: string | null;
  enabled: boolean;
}

export async function findEndpoint(tx: Executor, shopId: string): Promise<Endpoint | null> {
  const rows = await tx
    .select({ url: webhookEndpoints.url, enabled: webhookEndpoints.enabled })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.shopId, shopId));
  return rows[0] ? toEndpoint(rows[0]) : null;
}

/** Sets the shop's endpoint, made on first use. */
export async function upsertEndpoint(tx: Executor, shopId: string, endpoint: Endpoint, now: Date): Promise<Endpoint> {
  const rows = await tx
    .insert(webhookEndpoints)
    .values({ shopId, url: endpoint.url, enabled: endpoint.enabled, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: webhookEndpoints.shopId, set: { url: endpoint.url, enabled: endpoint.enabled, updatedAt: now } })
    .returning({ url: webhookEndpoints.url, enabled: webhookEndpoints.enabled });
  return toEndpoint(rows[0]!);
}

function toEndpoint(row: { url: string | null; enabled: boolean }): Endpoint {
  return { url: row.url, enabled: row.enabled };
}
