import { dateOrNull, empty, execute, param, query, sql } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';
import type { MailFigures } from './mail-plans.ts';
import type { MessageOutcome, MessageStatus } from './mail-rules.ts';
import type { MailTemplate } from './mail-types.ts';

/** The mail_messages table (D17): one row per message a domain event asked for, with its delivery state. */

export interface MailMessage {
  shopId: string;
  id: string;
  memberId: string;
  template: MailTemplate;
  dedupKey: string;
  data: MailFigures;
  status: MessageStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  lastResponseCode: number | null;
  sentAt: Date | null;
  createdAt: Date;
}

export type NewMessage = Pick<MailMessage, 'shopId' | 'id' | 'memberId' | 'template' | 'dedupKey' | 'data' | 'nextAttemptAt' | 'createdAt'>;

/** Inserts the message unless one with its dedup key exists; the row when this call made it, otherwise null. */
export async function insertMessage(tx: Executor, m: NewMessage): Promise<MailMessage | null> {
  const rows = await query(tx, sql`
    INSERT INTO mail_messages (shop_id, id, member_id, template, dedup_key, data, next_attempt_at, created_at)
    VALUES (${m.shopId}, ${m.id}, ${m.memberId}, ${m.template}, ${m.dedupKey}, ${JSON.stringify(m.data)}::jsonb,
            ${param(m.nextAttemptAt, 'timestamptz')}, ${param(m.createdAt, 'timestamptz')})
    ON CONFLICT (shop_id, dedup_key) DO NOTHING
    RETURNING *`);
  return rows[0] ? messageFromRow(rows[0]) : null;
}

/** What a due-message search looks at: one shop or all (null), messages due by `asOf`. */
export interface DueMessages {
  shopId: string | null;
  asOf: Date;
}

/**
 * Claims up to `limit` pending messages due by `asOf` (FOR UPDATE SKIP LOCKED: two senders take different ones)
 * and leases them until `leaseUntil`, so no other sender takes them while this one sends. Fair between shops: of
 * the oldest due messages (up to ten times `limit`), each shop's first comes before any shop's second.
 */
export async function claimDue(tx: Executor, c: DueMessages, limit: number, leaseUntil: Date): Promise<MailMessage[]> {
  const asOf = param(c.asOf, 'timestamptz');
  const shop = c.shopId ? sql`AND shop_id = ${c.shopId}` : empty;
  const rows = await query(tx, sql`
    WITH oldest AS (
      SELECT shop_id, id, next_attempt_at FROM mail_messages
       WHERE status = 'pending' AND next_attempt_at <= ${asOf} ${shop}
       ORDER BY next_attempt_at LIMIT ${limit * 10}
    ),
    turns AS (
      SELECT o.shop_id, o.id FROM (
        SELECT o.*, row_number() OVER (PARTITION BY o.shop_id ORDER BY o.next_attempt_at, o.id) AS turn FROM oldest o
      ) o ORDER BY o.turn, o.next_attempt_at LIMIT ${limit}
    ),
    picked AS (
      SELECT m.shop_id, m.id FROM mail_messages m JOIN turns t ON t.shop_id = m.shop_id AND t.id = m.id
       WHERE m.status = 'pending' AND m.next_attempt_at <= ${asOf}
         FOR UPDATE OF m SKIP LOCKED
    )
    UPDATE mail_messages SET next_attempt_at = ${param(leaseUntil, 'timestamptz')}
      FROM picked WHERE mail_messages.shop_id = picked.shop_id AND mail_messages.id = picked.id
    RETURNING mail_messages.*`);
  return rows.map(messageFromRow);
}

/** D18 dry run of the `mail` job: how many messages are due by `asOf`. */
export async function countDue(executor: Executor, c: DueMessages): Promise<number> {
  const shop = c.shopId ? sql`AND shop_id = ${c.shopId}` : empty;
  const rows = await query<{ due: number }>(executor, sql`
    SELECT count(*)::int AS due FROM mail_messages
     WHERE status = 'pending' AND next_attempt_at <= ${param(c.asOf, 'timestamptz')} ${shop}`);
  return rows[0]?.due ?? 0;
}

/** Records what an attempt came to; a message no longer pending (another sender finished it) is left alone. */
export async function recordOutcome(tx: Executor, shopId: string, id: string, o: MessageOutcome): Promise<boolean> {
  const count = await execute(tx, sql`
    UPDATE mail_messages SET status = ${o.status}, attempts = ${o.attempts}, next_attempt_at = ${param(o.nextAttemptAt, 'timestamptz')},
           last_error = ${o.lastError}, last_response_code = ${param(o.lastResponseCode, 'int')}, sent_at = ${param(o.sentAt, 'timestamptz')}
     WHERE shop_id = ${shopId} AND id = ${id} AND status = 'pending'`);
  return count > 0;
}

function messageFromRow(r: Record<string, unknown>): MailMessage {
  return {
    shopId: r.shop_id as string,
    id: r.id as string,
    memberId: r.member_id as string,
    template: r.template as MailTemplate,
    dedupKey: r.dedup_key as string,
    data: r.data as MailFigures,
    status: r.status as MessageStatus,
    attempts: r.attempts as number,
    nextAttemptAt: dateOrNull(r.next_attempt_at),
    lastError: r.last_error as string | null,
    lastResponseCode: r.last_response_code as number | null,
    sentAt: dateOrNull(r.sent_at),
    createdAt: dateOrNull(r.created_at)!,
  };
}

/** Retention: deletes up to `limit` messages settled (not pending) and made before `before`; returns how many went. */
export async function purgeSettled(executor: Executor, before: Date, limit: number): Promise<number> {
  return execute(executor, sql`
    DELETE FROM mail_messages WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM mail_messages WHERE status <> 'pending' AND created_at < ${param(before, 'timestamptz')} LIMIT ${param(limit, 'int')}))`);
}
