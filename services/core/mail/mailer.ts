import nodemailer from 'nodemailer';
import type { RenderedMail } from './mail-types.ts';

/** One message ready to go: rendered, addressed, with the shop's sender name and the member's unsubscribe link. */
export interface OutgoingMail {
  to: string;
  rendered: RenderedMail;
  /** Display name of the From address (MAIL_FROM); the shop's sender name or its name. */
  fromName: string;
  /** Empty: no Reply-To. */
  replyTo: string;
  unsubscribeUrl: string;
}

/**
 * D17: what became of a message, for the relay that will send them: `retryable` (a 4xx reply, a refused or lost
 * connection, a timeout) is worth another try later; `permanent` (a 5xx reply) is not and is to be recorded.
 */
export type SendResult =
  | { status: 'sent'; messageId: string }
  | { status: 'logged' }
  | { status: 'retryable'; error: string; responseCode: number | null }
  | { status: 'permanent'; error: string; responseCode: number };

export interface Mailer {
  send(mail: OutgoingMail): Promise<SendResult>;
  close(): void;
}

export interface MailLogger {
  info(obj: object, msg: string): void;
}

/**
 * Over SMTP when `smtpUrl` is set; otherwise every message goes to the log, naming its template and locale only:
 * the address and the text are the member's personal data (D19) and stay out of logs.
 */
export function createMailer(options: { smtpUrl: string | null; from: string; logger: MailLogger }): Mailer {
  const { smtpUrl, from, logger } = options;
  if (!smtpUrl) {
    return {
      async send({ rendered }) {
        logger.info({ mail: { template: rendered.template, locale: rendered.locale } }, 'mail not sent: SMTP_URL is not set');
        return { status: 'logged' };
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail(message(mail, from));
        return { status: 'sent', messageId: String(info.messageId ?? '') };
      } catch (error) {
        return classify(error);
      }
    },
    close: () => transport.close(),
  };
}

function message(mail: OutgoingMail, from: string) {
  const { rendered } = mail;
  return {
    from: { name: mail.fromName, address: from },
    to: mail.to,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    // RFC 2369 and RFC 8058: mail clients offer an unsubscribe button that POSTs to the same link.
    headers: {
      'List-Unsubscribe': `<${mail.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Content-Language': rendered.locale,
    },
  };
}

/** A 5xx reply is permanent; a 4xx reply, and anything without a reply (the connection), is worth retrying. */
export function classify(error: unknown): SendResult {
  const e = error as { responseCode?: unknown; message?: unknown; code?: unknown };
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const text = `${typeof e.code === 'string' ? `${e.code}: ` : ''}${String(e.message ?? error)}`.slice(0, 500);
  if (responseCode !== null && responseCode >= 500 && responseCode < 600) return { status: 'permanent', error: text, responseCode };
  return { status: 'retryable', error: text, responseCode };
}
