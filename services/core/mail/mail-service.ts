import { findMemberById, findMembersByIds } from '../members/member-repo.ts';
import type { Member } from '../members/member-types.ts';
import type { DomainEvent } from '../outbox/outbox-types.ts';
import { findRedemption } from '../redemptions/redemption-repo.ts';
import { newId } from '../common/ids.ts';
import { sweepInChunks, type SweepLimits } from '../common/sweep.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx, type Executor } from '../../db/tx.ts';
import { createDelivery, type MailServiceDeps } from './mail-delivery.ts';
import { claimDue, countDue, insertMessage } from './mail-message-repo.ts';
import { MAIL_PLANS, templateOf, type PlanContext } from './mail-plans.ts';
import { SEND_LEASE_MS, skipReason, type MessageStatus } from './mail-rules.ts';

/** What `handleEvent` did: no message for this event (`ignored`, `skipped`), one made earlier (`duplicate`), or sent. */
export type HandledEvent =
  | { status: 'ignored' | 'duplicate' }
  | { status: 'skipped'; reason: string }
  | { status: MessageStatus; messageId: string };

export interface MailCounts {
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
}

/** D17: messages claimed per transaction and claims per run of the `mail` job; what is left waits a minute. */
export const MAIL_SWEEP: SweepLimits = { chunk: 50, maxChunks: 20 };

export type MailService = ReturnType<typeof createMailService>;

/**
 * D17: the messages domain events ask for (mail-plans.ts), each made once (keyed by the event id) and sent at once,
 * then retried by the `mail` job with backoff while the server answers 4xx or cannot be reached. The address, name,
 * locale and consent are read from the member when a message goes, never stored with it; nothing personal is logged.
 */
export function createMailService(deps: MailServiceDeps) {
  const { database, clock } = deps;
  const { db } = database;
  const { deliver, observe } = createDelivery(deps);

  async function sendChunk(shopId: string | null, asOf: Date, limit: number, counts: MailCounts): Promise<number> {
    const claimed = await withTx(db, (tx) => claimDue(tx, { shopId, asOf }, limit, new Date(asOf.getTime() + SEND_LEASE_MS)));
    for (const message of claimed) {
      const status = await deliver(message, asOf);
      if (status === 'sent' || status === 'logged') counts.sent += 1;
      else if (status === 'pending') counts.retried += 1;
      else if (status === 'failed') counts.failed += 1;
      else counts.skipped += 1;
    }
    return claimed.length;
  }

  return {
    observe,

    /** The members a group of one shop's events may write to, for `handleEvent` (`known`): see membersOf. */
    membersOf: (shopId: string, events: DomainEvent[]) => membersOf(reader(db), shopId, events),

    /**
     * D16/D17: the message a domain event asks for, if any, made once however often (and however concurrently) the
     * event comes (the event id is the message's dedup key), and sent at once by the call that made it. No message
     * for a member that is gone, erased or without an address, nor marketing without consent.
     */
    async handleEvent(event: DomainEvent, known?: ReadonlyMap<string, Member>): Promise<HandledEvent> {
      const plan = MAIL_PLANS[event.type];
      const memberId = event.memberId;
      if (!plan || !memberId) return { status: 'ignored' };
      const member = known ? (known.get(memberId) ?? null) : await findMemberById(reader(db), event.shopId, memberId);
      const template = templateOf(plan, event);
      const reason = skipReason(member, template);
      if (reason) return { status: 'skipped', reason };
      const figures = plan.figures(event, await planContext(reader(db), event));
      if (!figures) return { status: 'ignored' };
      const now = clock.now();
      const message = await withTx(db, (tx) => insertMessage(tx, {
        shopId: event.shopId,
        id: newId('msg', now.getTime()),
        memberId,
        template,
        dedupKey: event.id,
        data: figures,
        // Leased to this call while it sends; should it die, the `mail` job sends the message once the lease ends.
        nextAttemptAt: new Date(now.getTime() + SEND_LEASE_MS),
        createdAt: now,
      }));
      if (!message) return { status: 'duplicate' };
      return { status: await deliver(message, now), messageId: message.id };
    },

    /**
     * D17: the `mail` job: sends the pending messages due by `asOf` (retries after a 4xx or a lost connection), for
     * one shop or all, a chunk at a time; a dry run counts the due messages as `sent`.
     */
    async sendDue(run: { shopId: string | null; asOf: Date; dryRun: boolean }, limits: SweepLimits = MAIL_SWEEP): Promise<MailCounts> {
      const counts: MailCounts = { sent: 0, retried: 0, failed: 0, skipped: 0 };
      if (run.dryRun) return { ...counts, sent: await countDue(reader(db), run) };
      await sweepInChunks((limit) => sendChunk(run.shopId, run.asOf, limit, counts), limits);
      return counts;
    },
  };
}

/**
 * The members a group of one shop's events may write to (those whose type asks for a message), read in one round
 * trip: a group of relayed events costs one read, not one per event.
 */
async function membersOf(executor: Executor, shopId: string, events: DomainEvent[]): Promise<ReadonlyMap<string, Member>> {
  const ids = [...new Set(events.filter((e) => MAIL_PLANS[e.type] && e.memberId).map((e) => e.memberId!))];
  return new Map((await findMembersByIds(executor, shopId, ids)).map((m) => [m.id, m]));
}

/** What a message's figures need beyond its event: the redemption it names, if any. */
async function planContext(executor: Executor, event: DomainEvent): Promise<PlanContext> {
  const redemptionId = event.data.redemptionId;
  const redemption = redemptionId ? await findRedemption(executor, event.shopId, redemptionId) : null;
  return { redemption: redemption ? { amount: redemption.amount, currency: redemption.currency } : null };
}
