import type { SendResult } from './mailer.ts';
import { MARKETING_TEMPLATES, type MailTemplate } from './mail-types.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * D17: how long a message waits after its n-th retryable failure (a 4xx reply, a connection that failed): 1 min,
 * 5 min, 30 min, 2 h, 6 h, 12 h. A failure after the last is final: the message is `failed`.
 */
export const RETRY_DELAYS_MS: readonly number[] = [MINUTE_MS, 5 * MINUTE_MS, 30 * MINUTE_MS, 2 * HOUR_MS, 6 * HOUR_MS, 12 * HOUR_MS];

/**
 * How long a message being sent is kept from the `mail` job: the sender owns it meanwhile. A sender that dies
 * leaves it to be sent again once this has passed (at least once, never lost).
 */
export const SEND_LEASE_MS = 10 * MINUTE_MS;

export type MessageStatus = 'pending' | 'sent' | 'logged' | 'failed' | 'skipped';

/** What a send attempt changes on the message. */
export interface MessageOutcome {
  status: MessageStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  lastResponseCode: number | null;
  sentAt: Date | null;
}

/** The message after the mailer's answer to attempt `attempts + 1`, made at `at`. Pure. */
export function outcomeOf(result: SendResult, attempts: number, at: Date): MessageOutcome {
  const tried = attempts + 1;
  switch (result.status) {
    case 'sent':
    case 'logged':
      return { status: result.status, attempts: tried, nextAttemptAt: null, lastError: null, lastResponseCode: null, sentAt: at };
    case 'permanent':
      return { status: 'failed', attempts: tried, nextAttemptAt: null, lastError: result.error, lastResponseCode: result.responseCode, sentAt: null };
    case 'retryable': {
      const delay = RETRY_DELAYS_MS[tried - 1];
      return {
        status: delay === undefined ? 'failed' : 'pending',
        attempts: tried,
        nextAttemptAt: delay === undefined ? null : new Date(at.getTime() + delay),
        lastError: result.error,
        lastResponseCode: result.responseCode,
        sentAt: null,
      };
    }
  }
}

/** The member as a message needs it: whether it still exists, its address, its consent. */
export interface Recipient {
  email: string | null;
  erasedAt: Date | null;
  marketingConsent: boolean;
}

/** Why `template` is not to go to this member (null: it may go). Asked when the message is made and when it is sent. */
export function skipReason(member: Recipient | null, template: MailTemplate): string | null {
  if (!member) return 'no such member';
  if (member.erasedAt) return 'member erased';
  if (!member.email) return 'no e-mail address';
  if (MARKETING_TEMPLATES.has(template) && !member.marketingConsent) return 'no marketing consent';
  return null;
}

/** A skipped message: nothing was sent and nothing will be. */
export function skipped(attempts: number, reason: string): MessageOutcome {
  return { status: 'skipped', attempts, nextAttemptAt: null, lastError: reason, lastResponseCode: null, sentAt: null };
}
