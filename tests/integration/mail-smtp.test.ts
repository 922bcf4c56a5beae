import { createServer, type AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, type OutgoingMail } from '../../services/core/mail/mailer.ts';
import { renderMail } from '../../services/core/mail/mail-render.ts';

// D17: a real SMTP server in the test process receives what the mailer sends; mailparser reads it back. The
// recipient's local part decides the sink's answer: `soft…` gets 450, `hard…` 550, anything else 250.

const received: ParsedMail[] = [];
let sink: SMTPServer;
let port: number;

beforeAll(async () => {
  sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const reply = (code: number, text: string) => callback(Object.assign(new Error(text), { responseCode: code }));
      if (address.address.startsWith('soft')) return reply(450, 'Mailbox busy, try later');
      if (address.address.startsWith('hard')) return reply(550, 'No such user');
      return callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  port = (sink.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => sink.close(() => resolve())));

const UNSUBSCRIBE = 'https://lojal.example/v1/unsubscribe?token=v1.abc.def.ghi.jkl';

function outgoing(to: string): OutgoingMail {
  const rendered = renderMail({
    template: 'pointsExpiring',
    data: { points: 21, expiresAt: new Date('2027-01-15T12:00:00Z'), days: 7, balance: 120 },
    locale: 'pl',
    firstName: 'Zażółć',
    shopName: 'Sklep Ani',
    timeZone: 'Europe/Warsaw',
    settings: { senderName: 'Sklep Ani', replyTo: 'pomoc@sklep.example', accountUrl: 'https://sklep.example/konto' },
    unsubscribeUrl: UNSUBSCRIBE,
  });
  return { to, rendered, fromName: 'Sklep Ani', replyTo: 'pomoc@sklep.example', unsubscribeUrl: UNSUBSCRIBE };
}

const smtpMailer = () => createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'no-reply@lojal.example', logger: { info() {} } });

describe('mailer over SMTP (D17)', () => {
  it('delivers HTML and text with the one-click unsubscribe headers, sender name and reply-to', async () => {
    const mailer = smtpMailer();
    const mail = outgoing('ana@example.com');
    const result = await mailer.send(mail);
    mailer.close();
    expect(result.status).toBe('sent');
    const got = received.find((m) => m.subject === mail.rendered.subject)!;
    expect(got, 'the sink received the message').toBeDefined();
    expect(got.subject).toBe('Punkty wygasają za 7 dni: 21 punktów');
    expect(got.from?.value).toEqual([{ name: 'Sklep Ani', address: 'no-reply@lojal.example' }]);
    expect(got.replyTo?.value).toEqual([{ name: '', address: 'pomoc@sklep.example' }]);
    const header = (key: string) => got.headerLines.find((h) => h.key === key)?.line.replace(/:?\r?\n[ \t]+/g, (m) => (m.startsWith(':') ? ': ' : ' ')); // unfolded
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <${UNSUBSCRIBE}>`);
    expect(got.attachments).toEqual([]);
    expect(got.text?.trim()).toBe(mail.rendered.text.trim());
    expect(got.html).toBe(mail.rendered.html);
    expect(got.text).toContain('Dnia 15 stycznia 2027');
  });

  it('a 4xx reply is retryable, a 5xx reply permanent', async () => {
    const mailer = smtpMailer();
    const soft = await mailer.send(outgoing('soft@example.com'));
    const hard = await mailer.send(outgoing('hard@example.com'));
    mailer.close();
    expect(soft).toMatchObject({ status: 'retryable', responseCode: 450 });
    expect(hard).toMatchObject({ status: 'permanent', responseCode: 550 });
  });

  it('a server that cannot be reached is retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${closedPort}`, from: 'no-reply@lojal.example', logger: { info() {} } });
    const result = await mailer.send(outgoing('ana@example.com'));
    mailer.close();
    expect(result).toMatchObject({ status: 'retryable', responseCode: null });
  });

  it('without SMTP_URL the message goes to the log as its template and locale, never its address or text', async () => {
    const lines: { obj: object; msg: string }[] = [];
    const mailer = createMailer({ smtpUrl: null, from: 'no-reply@lojal.example', logger: { info: (obj, msg) => lines.push({ obj, msg }) } });
    expect(await mailer.send(outgoing('ana.secret@example.com'))).toEqual({ status: 'logged' });
    expect(lines).toEqual([{ obj: { mail: { template: 'pointsExpiring', locale: 'pl' } }, msg: 'mail not sent: SMTP_URL is not set' }]);
  });
});
