import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import { webhookSecrets } from '../../db/schema/index.ts';
import type { Executor } from '../../db/tx.ts';

/** The webhook_secrets table: secrets sealed with the service's secret key, never in clear (D20). */

export async function insertWebhookSecret(
  tx: Executor,
  row: { shopId: string; id: string; secretEnc: string; createdAt: Date },
): Promise<void> {
  await tx.insert(webhookSecrets).values(row);
}

/** Sealed secrets still valid at `now`, newest first (the newest signs outbound webhooks). */
export async function listLiveWebhookSecrets(tx: Executor, shopId: string, now: Date): Promise<string[]> {
  const rows = await tx
    .select({ secretEnc: webhookSecrets.secretEnc })
    .from(webhookSecrets)
    .where(
      and(
        eq(webhookSecrets.shopId, shopId),
        or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, now)),
      ),
    )
    .orderBy(desc(webhookSecrets.createdAt));
  return rows.map((r) => r.secretEnc);
}

/** Gives every secret of the shop that would outlive `until` that expiry instead (rotation overlap). */
export async function expireWebhookSecrets(tx: Executor, shopId: string, until: Date): Promise<void> {
  await tx
    .update(webhookSecrets)
    .set({ expiresAt: until })
    .where(and(eq(webhookSecrets.shopId, shopId), or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, until))));
}
