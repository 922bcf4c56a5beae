import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenCart, filesUnder } from '../../scripts/plugins-build.ts';
import { crc32 } from '../../scripts/zip-writer.ts';
import { signatureHeader } from '../../services/core/events/signature.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { unzip } from '../helpers/unzip.ts';

// The OpenCart extension (plugins/opencart): PHP syntax, its phpunit suite, its signature against the service's,
// the built zip, and its client sending signed events to the real service.

const PLUGIN = path.resolve('plugins/opencart');

function need(command: string, args: string[]): void {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`${command} is needed for the OpenCart extension's tests (apt-get install php-cli php-curl php-mbstring php-xml phpunit; .ci/run installs them): ${r.error?.message ?? r.stderr}`);
  }
}

function php(code: string): string {
  return execFileSync('php', ['-r', code], { encoding: 'utf8' });
}

describe('OpenCart extension', () => {
  beforeAll(() => {
    need('php', ['--version']);
    need('phpunit', ['--version']);
  });

  it('every PHP file parses', async () => {
    const files = filesUnder(PLUGIN).filter((f) => f.endsWith('.php'));
    expect(files.length).toBeGreaterThan(15);
    const lint = promisify(execFile);
    await Promise.all(files.map((file) => lint('php', ['-l', path.join(PLUGIN, file)], { encoding: 'utf8' })));
  }, 120_000);

  it('its phpunit suite passes', () => {
    const r = spawnSync('phpunit', ['--configuration', path.join(PLUGIN, 'phpunit.xml')], { encoding: 'utf8', cwd: PLUGIN });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/OK \(\d+ tests/);
  });

  it('signs a body exactly as the service does', () => {
    const body = '{"id":"opencart:order:42:order.completed","type":"order.completed","data":{"name":"Łódź \\"x\\""}}';
    const lib = path.join(PLUGIN, 'upload/system/library/lojal/autoload.php');
    const fromPhp = php(`require '${lib}'; echo Lojal\\OpenCart\\Signer::header('lj_whsec_abc', base64_decode('${Buffer.from(body).toString('base64')}'), 1764000000);`);
    expect(fromPhp).toBe(signatureHeader('lj_whsec_abc', body, 1764000000));
  });

  it('builds dist/lojal.ocmod.zip with install.json, admin/ and catalog/ at its root', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const out = mkdtempSync(path.join(tmpdir(), 'lojal-zip-'));
    try {
      const files = unzip(readFileSync(buildOpenCart(out)));
      const install = JSON.parse(files.get('install.json')!.toString('utf8'));
      expect(install.name).toBe('Lojal loyalty points');
      // OpenCart 4.0.2.x's installer refuses a package whose name, version, author or link is empty.
      for (const field of ['name', 'version', 'author', 'link']) expect(install[field], field).toMatch(/\S{3,}/);
      expect(files.has('admin/controller/other/lojal.php')).toBe(true);
      expect(files.has('catalog/controller/event/lojal.php')).toBe(true);
      // The cart's points panel: 4.1 loads it as checkout/lojal, 4.0.2.x as total/lojal.
      for (const f of ['admin/controller/total/lojal.php', 'catalog/model/total/lojal.php', 'catalog/controller/checkout/lojal.php', 'catalog/controller/total/lojal.php']) expect(files.has(f), f).toBe(true);
      for (const lang of ['en-gb', 'pl-pl', 'ro-ro', 'ru-ru']) {
        expect(files.has(`admin/language/${lang}/other/lojal.php`)).toBe(true);
        expect(files.has(`catalog/language/${lang}/event/earn.php`)).toBe(true);
        expect(files.has(`catalog/language/${lang}/account/points.php`)).toBe(true);
        for (const f of ['admin/language/LANG/total/lojal.php', 'catalog/language/LANG/total/lojal.php', 'catalog/language/LANG/checkout/lojal.php']) expect(files.has(f.replace('LANG', lang)), f).toBe(true);
      }
      expect(files.has('catalog/view/template/account/points.twig')).toBe(true);
      for (const f of ['admin/controller/customer/points.php', 'admin/view/template/customer/points.twig', 'admin/view/template/customer/points_block.twig']) expect(files.has(f), f).toBe(true);
      for (const lang of ['en-gb', 'pl-pl', 'ro-ro', 'ru-ru']) expect(files.has(`admin/language/${lang}/customer/points.php`), lang).toBe(true);
      const source = path.join(PLUGIN, 'upload/system/library/lojal/signer.php');
      expect(files.get('system/library/lojal/signer.php')!.equals(readFileSync(source))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  describe('against the service', () => {
    let t: TestApp;
    let shop: TestShop;
    let url: string;

    beforeAll(async () => {
      t = await buildTestApp();
      shop = await createShop(t.app, { currency: 'USD' });
      url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    });
    afterAll(async () => t?.close());

    it("imports OpenCart reward balances once: the admin's batch applied, the same batch again all duplicates", async () => {
      const script = path.join(PLUGIN, 'tests/contract/import.php');
      const { stdout } = await promisify(execFile)('php', [script, url, shop.apiKey], { encoding: 'utf8' });
      const out = JSON.parse(stdout);
      expect(out.first).toMatchObject({ status: 200, body: { applied: 2, duplicates: 0, errors: [] } });
      expect(out.again).toMatchObject({ status: 200, body: { applied: 0, duplicates: 2, errors: [] } });
      const member = await t.app.inject({ method: 'GET', url: '/v1/members/8', headers: shop.auth });
      expect(member.json()).toMatchObject({ email: null, balance: { available: 40 } });
    });

    it('sends a signed order the service awards; the same event again is a duplicate; a tampered body is refused', async () => {
      const script = path.join(PLUGIN, 'tests/contract/send.php');
      // Not execFileSync: the service answers from this process's event loop.
      const { stdout } = await promisify(execFile)('php', [script, url, shop.apiKey, shop.webhookSecret], { encoding: 'utf8' });
      const out = JSON.parse(stdout);
      expect(out.first).toMatchObject({ delivered: true, status: 202 });
      expect(out.again).toMatchObject({ delivered: true, status: 202 });
      expect(out.tampered).toMatchObject({ status: 401, body: { code: 'signature_invalid' } });
      const order = await t.app.inject({ method: 'GET', url: '/v1/orders/42', headers: shop.auth });
      // 202 + 2000 less 10 % coupon = 19980 eligible cents: 199 points at 1 point per dollar.
      expect(order.json()).toMatchObject({ customerId: '7', status: 'completed', award: { points: 199, status: 'pending' } });
    });

    it('spends points: a hold from the PHP client, an order event carrying pointsRedeemed, the hold committed', async () => {
      // Customer 7 is a member since the order above (its points still pending).
      const credit = await t.app.inject({ method: 'POST', url: '/v1/members/7/adjustments', headers: shop.auth, payload: { points: 2000, reason: 'test credit' } });
      expect(credit.statusCode, credit.body).toBeLessThan(300);
      const script = path.join(PLUGIN, 'tests/contract/redeem.php');
      const { stdout } = await promisify(execFile)('php', [script, url, shop.apiKey, shop.webhookSecret, '7'], { encoding: 'utf8' });
      const out = JSON.parse(stdout);
      expect(out.quote.status).toBe(200);
      expect(out.quote.json.available).toBeGreaterThanOrEqual(2000);
      expect(out.quote.json.maxPoints).toBeGreaterThanOrEqual(500);
      expect(out.hold).toMatchObject({ status: 201, json: { status: 'held', points: 500 } });
      const id = out.hold.json.id as string;
      expect(out.pointsRedeemed).toEqual({ redemptionId: id, points: 500, amount: out.hold.json.amount });
      expect(out.sent).toMatchObject({ delivered: true, status: 202 });
      const redemption = await t.app.inject({ method: 'GET', url: `/v1/redemptions/${id}`, headers: shop.auth });
      expect(redemption.json()).toMatchObject({ status: 'committed', points: 500 });
      // The checkout's "earn N points" (its totals, the points spent on it) is what the completed order earned.
      expect(out.completed).toMatchObject({ delivered: true, status: 202 });
      const order = (await t.app.inject({ method: 'GET', url: '/v1/orders/43', headers: shop.auth })).json();
      expect(order.award.points).toBeGreaterThan(0);
      expect(out.checkoutQuote).toBe(order.award.points);
      // The success page (placed, not awarded yet: the estimate) and the customer's order page (the award).
      expect(out.successPage).toEqual({ kind: 'estimate', points: order.award.points, availableAt: null, reversed: 0, redeemed: 500, restored: 0 });
      expect(out.orderPage).toEqual({ kind: 'pending', points: order.award.points, availableAt: order.award.availableAt, reversed: 0, redeemed: 500, restored: 0 });
    });

    it("the admin panel's adjustment: once per form key, an overdraw refused in words with nothing written, the balance as the panel shows it", async () => {
      const script = path.join(PLUGIN, 'tests/contract/adjust.php');
      const { stdout } = await promisify(execFile)('php', [script, url, shop.apiKey, shop.webhookSecret, '31'], { encoding: 'utf8' });
      const out = JSON.parse(stdout);
      // The customer as the admin's save sends it made the member.
      expect(out.upsert).toMatchObject({ delivered: true, status: 202 });
      const base = out.before.available as number;
      const member = (await t.app.inject({ method: 'GET', url: '/v1/members/31', headers: shop.auth })).json();
      expect(member).toMatchObject({ email: 'ola@example.com', locale: 'pl', balance: { available: base + 150 } });
      // The same form twice: one entry, the second answer a replay of the first.
      expect(out.first).toMatchObject({ ok: true, message: 'text_adjusted', reload: true, entry: { kind: 'adjust', points: 150, reason: 'goodwill', by: 'admin' } });
      expect(out.again).toMatchObject({ ok: true, entry: { id: out.first.entry.id } });
      expect(out.changed).toMatchObject({ ok: false, message: 'error_key_reused', reload: true });
      expect(out.overdraw).toMatchObject({ ok: false, message: 'error_insufficient', newKey: true });
      expect(out.overdraw.words).toMatch(/does not have that many points.*Nothing was changed/);
      const activity = (await t.app.inject({ method: 'GET', url: '/v1/members/31/activity', headers: shop.auth })).json();
      const adjustments = activity.data.filter((e: { kind: string }) => e.kind === 'adjust');
      expect(adjustments).toHaveLength(1);
      expect(adjustments[0]).toMatchObject({ id: out.first.entry.id, points: 150, reason: 'goodwill', by: 'admin' });
      // The panel, built from the service's answers, shows that balance and the entry in words.
      expect(out.panel).toMatchObject({ state: 'member', figures: { available: String(base + 150), pending: '0', held: '0' } });
      expect(out.panel.activity[0]).toMatchObject({ text: 'Adjustment: goodwill (by admin)', points: '+150', debit: false });
    });

    it("the extension's earning quote for that cart equals what the order earned", async () => {
      const script = path.join(PLUGIN, 'tests/contract/quote.php');
      const { stdout } = await promisify(execFile)('php', [script, url, shop.apiKey], { encoding: 'utf8' });
      const out = JSON.parse(stdout);
      const order = await t.app.inject({ method: 'GET', url: '/v1/orders/42', headers: shop.auth });
      expect(out.cart).toBe(order.json().award.points);
      expect(out.products.requested).toBe(Object.keys(out.products.points).length);
      expect(Object.values(out.products.points).every((p) => typeof p === 'number' && p > 0)).toBe(true);
    });
  });
});
