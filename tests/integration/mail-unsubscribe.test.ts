import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken, unsubscribeUrl } from '../../services/core/mail/unsubscribe-token.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { putMember } from '../helpers/members.ts';

let t: TestApp;
let shop: TestShop;
beforeAll(async () => {
  t = await buildTestApp({ env: { PUBLIC_URL: 'https://loyalty.example/' } });
  shop = await createShop(t.app);
});
afterAll(() => t.close());

const memberOf = (customerId: string) => t.container.members.get(shop.id, customerId);
const tokenFor = async (customerId: string) =>
  signToken(t.config.secretKey, { purpose: 'unsubscribe', shopId: shop.id, memberId: (await memberOf(customerId)).id });
const open = (token: string, method: 'GET' | 'POST' = 'GET', extra: Record<string, unknown> = {}) =>
  t.app.inject({ method, url: `/v1/unsubscribe?token=${encodeURIComponent(token)}`, ...extra });

describe('unsubscribe link (D17)', () => {
  it('the link in a message is PUBLIC_URL/v1/unsubscribe with a token', async () => {
    await putMember(t.app, shop, 'u-link', { marketingConsent: true });
    const url = unsubscribeUrl(t.config.publicUrl, t.config.secretKey, shop.id, (await memberOf('u-link')).id);
    expect(url).toMatch(/^https:\/\/loyalty\.example\/v1\/unsubscribe\?token=v1\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
    const response = await t.app.inject({ method: 'GET', url: url.replace('https://loyalty.example', '') });
    expect(response.statusCode).toBe(200);
  });

  it('a valid token turns marketing consent off, without a key, with a page in the member\'s language; again changes nothing', async () => {
    await putMember(t.app, shop, 'u-ru', { marketingConsent: true, locale: 'ru' });
    const token = await tokenFor('u-ru');
    const first = await open(token);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(first.body).toContain('<html lang="ru">');
    expect(first.body).toContain('Вы отписались');
    const after = await memberOf('u-ru');
    expect(after.marketingConsent).toBe(false);

    const again = await open(token);
    expect(again.statusCode).toBe(200);
    expect(again.body).toBe(first.body);
    const later = await memberOf('u-ru');
    expect(later.marketingConsent).toBe(false);
    expect(later.updatedAt).toEqual(after.updatedAt);
  });

  it('RFC 8058 one-click: a POST of List-Unsubscribe=One-Click to the same URL works', async () => {
    await putMember(t.app, shop, 'u-post', { marketingConsent: true, locale: 'pl' });
    const response = await open(await tokenFor('u-post'), 'POST', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Wypisano z listy');
    expect((await memberOf('u-post')).marketingConsent).toBe(false);
    const multipart = await open(await tokenFor('u-post'), 'POST', {
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--x--\r\n',
    });
    expect(multipart.statusCode).toBe(200);
  });

  it('a tampered, foreign or missing token is refused with a stable code and changes nothing', async () => {
    await putMember(t.app, shop, 'u-keep', { marketingConsent: true });
    await putMember(t.app, shop, 'u-other', { marketingConsent: true });
    const token = await tokenFor('u-keep');
    const parts = token.split('.');
    const otherMember = Buffer.from((await memberOf('u-other')).id).toString('base64url');
    const lastChar = token.at(-1) === 'A' ? 'B' : 'A';
    const tampered = [
      `${token.slice(0, -1)}${lastChar}`, // the MAC changed
      [parts[0], parts[1], otherMember, parts[3], parts[4]].join('.'), // another member under this MAC
      `${token}=`, // not the MAC exactly as given out
      signToken(randomBytes(32), { purpose: 'unsubscribe', shopId: shop.id, memberId: (await memberOf('u-other')).id }),
      'v1.x.y.z',
      'not-a-token',
    ];
    for (const bad of tampered) {
      const response = await open(bad);
      expect(response.statusCode, bad).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().code).toBe('unsubscribe_token_invalid');
    }
    const post = await open(tampered[0]!, 'POST');
    expect(post.json().code).toBe('unsubscribe_token_invalid');
    const missing = await t.app.inject({ method: 'GET', url: '/v1/unsubscribe' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('validation_failed');
    expect((await memberOf('u-keep')).marketingConsent).toBe(true);
    expect((await memberOf('u-other')).marketingConsent).toBe(true);
  });

  it('is rate limited per address like every route', async () => {
    const limited = await buildTestApp({ env: { RATE_LIMIT_ANONYMOUS_PER_MINUTE: '2', RATE_LIMIT_ANONYMOUS_BURST: '2' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 3; i += 1) codes.push((await limited.app.inject({ method: 'GET', url: '/v1/unsubscribe?token=x' })).statusCode);
      expect(codes).toEqual([400, 400, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('mail settings of the program (D17)', () => {
  const put = (payload: unknown) => t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: payload as object });

  it('default to unset, and are stored field by field', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/v1/program', headers: shop.auth });
    expect(before.json().mail).toEqual({ senderName: '', replyTo: '', accountUrl: '' });
    const saved = await put({ mail: { senderName: 'Sklep Ani', replyTo: 'pomoc@sklep.example' } });
    expect(saved.statusCode).toBe(200);
    const next = await put({ mail: { accountUrl: 'https://sklep.example/konto' } });
    expect(next.json().mail).toEqual({ senderName: 'Sklep Ani', replyTo: 'pomoc@sklep.example', accountUrl: 'https://sklep.example/konto' });
  });

  it('refuses an address that is not one, a URL that is not http(s), a name with a line break, an unknown field', async () => {
    for (const mail of [{ replyTo: 'not an address' }, { accountUrl: 'javascript:alert(1)' }, { accountUrl: 'sklep.example' }, { senderName: 'A\r\nBcc: x@y.z' }, { colour: 'red' }]) {
      const response = await put({ mail });
      expect(response.statusCode, JSON.stringify(mail)).toBe(400);
      expect(response.json().code).toBe('validation_failed');
    }
  });
});
