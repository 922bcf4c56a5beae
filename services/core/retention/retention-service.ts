import type { Database } from '../../db/client.ts';
import { purgePast } from '../ledger/reminder-repo.ts';
import { purgeSettled as purgeMessages } from '../mail/mail-message-repo.ts';
import { sweepInChunks, type SweepLimits } from '../common/sweep.ts';
import { purgeSettled as purgeDeliveries } from '../webhooks/webhook-delivery-repo.ts';

const DAY_MS = 86_400_000;
/** Settled e-mails are kept this long: far past any redelivery of their event (its job's retries end within days). */
export const MAIL_RETENTION_DAYS = 90;
/** Settled webhook deliveries (and the event bodies they hold) are listed this long (GET /v1/webhooks/deliveries). */
export const WEBHOOK_RETENTION_DAYS = 30;
/** Expiry reminders are kept this long after their expiry day. */
export const REMINDER_RETENTION_DAYS = 30;

export interface PurgedCounts {
  messages: number;
  deliveries: number;
  reminders: number;
}

export type RetentionService = ReturnType<typeof createRetentionService>;

/**
 * What the outbound side keeps, bounded: e-mails sent, logged, failed or skipped, webhook deliveries delivered or
 * failed, and the expiry reminders of days gone. Pending ones are never touched. Every shop at once, in chunks.
 */
export function createRetentionService({ database }: { database: Database }) {
  const { db } = database;
  return {
    async purgeOutbound(asOf: Date, limits: SweepLimits): Promise<PurgedCounts> {
      const before = (days: number) => new Date(asOf.getTime() - days * DAY_MS);
      const reminderDay = before(REMINDER_RETENTION_DAYS).toISOString().slice(0, 10);
      return {
        messages: await sweepInChunks((limit) => purgeMessages(db, before(MAIL_RETENTION_DAYS), limit), limits),
        deliveries: await sweepInChunks((limit) => purgeDeliveries(db, before(WEBHOOK_RETENTION_DAYS), limit), limits),
        reminders: await sweepInChunks((limit) => purgePast(db, reminderDay, limit), limits),
      };
    },
  };
}
