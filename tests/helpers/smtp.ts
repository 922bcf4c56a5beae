import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server in the test process (D17): what it receives is parsed back with mailparser. Recipients in
 * `busy` get 450 (try later), those in `refused` 550 (permanent); the others are accepted.
 */
export interface SmtpSink {
  url: string;
  received: ParsedMail[];
  busy: Set<string>;
  refused: Set<string>;
  /** The messages received for an address. */
  to(address: string): ParsedMail[];
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ParsedMail[] = [];
  const busy = new Set<string>();
  const refused = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const reply = (code: number, text: string) => callback(Object.assign(new Error(text), { responseCode: code }));
      if (busy.has(address.address)) return reply(450, 'Mailbox busy, try later');
      if (refused.has(address.address)) return reply(550, 'No such user');
      return callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    busy,
    refused,
    to: (address) => received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value.some((v) => v.address === address)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
