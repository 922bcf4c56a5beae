import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx } from '../../db/tx.ts';
import { findMemberById } from '../members/member-repo.ts';
import type { ProgramService } from '../program/program-service.ts';
import type { Clock } from '../common/clock.ts';
import { findShop } from '../shops/shop-repo.ts';
import type { Mailer } from './mailer.ts';
import { recordOutcome, type MailMessage } from './mail-message-repo.ts';
import { mailData } from './mail-plans.ts';
import { renderMail } from './mail-render.ts';
import { outcomeOf, skipped, skipReason, type MessageStatus } from './mail-rules.ts';
import { unsubscribeUrl } from './unsubscribe-token.ts';
import type { MailTemplate } from './mail-types.ts';

export interface MailServiceDeps {
  database: Database;
  clock: Clock;
  program: ProgramService;
  mailer: Mailer;
  publicUrl: string;
  secretKey: Buffer;
}

/** Told of every attempt at a message and what came of it (the worker counts them on /metrics). */
export type MailObserver = (template: MailTemplate, status: MessageStatus) => void;

/**
 * D17: one attempt at one message (reads through `reader`, writes through `withTx`: inside a request transaction,
 * e.g. the `mail` job run with an Idempotency-Key, they must not wait for a second connection): the member (address, name, locale, consent), the shop and its mail settings read
 * now, the message rendered with its unsubscribe link, sent, and what came of it recorded on the message.
 */
export function createDelivery(deps: MailServiceDeps): {
  deliver: (message: MailMessage, at: Date) => Promise<MessageStatus>;
  /** Adds an observer of every send attempt and its outcome (the worker's metrics); returns its removal. */
  observe: (observer: MailObserver) => () => void;
} {
  const { database, program, mailer } = deps;
  const { db } = database;
  const observers = new Set<MailObserver>();
  const observe = (template: MailTemplate, status: MessageStatus) => {
    for (const observer of observers) observer(template, status);
  };

  /** Sends one message as attempt `attempts + 1` at `at` and records what came of it. */
  async function deliver(message: MailMessage, at: Date): Promise<MessageStatus> {
    const { shopId, memberId, template } = message;
    const member = await findMemberById(reader(db), shopId, memberId);
    const reason = skipReason(member, template);
    const shop = await findShop(reader(db), shopId);
    if (reason || !member?.email || !shop) {
      await withTx(db, (tx) => recordOutcome(tx, shopId, message.id, skipped(message.attempts, reason ?? 'no such shop')));
      observe(template, 'skipped');
      return 'skipped';
    }
    const settings = await program.get(shopId);
    const link = unsubscribeUrl(deps.publicUrl, deps.secretKey, shopId, memberId);
    const rendered = renderMail({
      template,
      data: mailData(template, message.data, { shopId, memberId, secretKey: deps.secretKey, publicUrl: deps.publicUrl }),
      locale: member.locale,
      firstName: member.firstName,
      shopName: shop.name,
      timeZone: shop.timezone,
      settings: settings.mail,
      unsubscribeUrl: link,
    });
    const result = await mailer.send({
      to: member.email,
      rendered,
      fromName: settings.mail.senderName || shop.name,
      replyTo: settings.mail.replyTo,
      unsubscribeUrl: link,
    });
    const outcome = outcomeOf(result, message.attempts, at);
    await withTx(db, (tx) => recordOutcome(tx, shopId, message.id, outcome));
    observe(template, outcome.status);
    return outcome.status;
  }

  return {
    deliver,
    observe(observer) {
      observers.add(observer);
      return () => observers.delete(observer);
    },
  };
}
