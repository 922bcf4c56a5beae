import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePo } from '../../scripts/gettext-mo.ts';
import { buildWooCommerce, filesUnder } from '../../scripts/plugins-build.ts';
import { minorDigits } from '../../services/core/common/money.ts';
import { signatureHeader } from '../../services/core/events/signature.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { unzip } from '../helpers/unzip.ts';

// The WooCommerce plugin (plugins/woocommerce): PHP syntax, its phpunit suite, its signature and currency digits
// against the service's, its translations, the built zip, and its core sending signed events to the real service.

const PLUGIN = path.resolve('plugins/woocommerce');
const LANGUAGES = path.join(PLUGIN, 'lojal/languages');
const LOCALES = { pl_PL: 3, ro_RO: 3, ru_RU: 3 } as const;
const run = promisify(execFile);

function need(command: string, args: string[]): void {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`${command} is needed for the WooCommerce plugin's tests (apt-get install php-cli php-curl php-mbstring php-xml phpunit gettext; .ci/run installs them): ${r.error?.message ?? r.stderr}`);
  }
}

function php(code: string): string {
  return execFileSync('php', ['-r', code], { encoding: 'utf8' });
}

const AUTOLOAD = path.join(PLUGIN, 'lojal/includes/autoload.php');

/** msgids of a .po or .pot, singular and plural joined (the header entry left out). */
function msgids(file: string): string[] {
  return parsePo(readFileSync(file, 'utf8')).filter((e) => e.id !== '').map((e) => (e.plural === undefined ? e.id : `${e.id}\u0000${e.plural}`)).sort();
}

describe('WooCommerce plugin', () => {
  beforeAll(() => {
    for (const [command, args] of [['php', ['--version']], ['phpunit', ['--version']], ['msgfmt', ['--version']], ['xgettext', ['--version']]] as const) need(command, [...args]);
  });

  it('every PHP file parses', async () => {
    const files = filesUnder(PLUGIN).filter((f) => f.endsWith('.php'));
    expect(files.length).toBeGreaterThan(30);
    await Promise.all(files.map((file) => run('php', ['-l', path.join(PLUGIN, file)], { encoding: 'utf8' })));
  }, 120_000);

  it('its phpunit suite passes', () => {
    const r = spawnSync('phpunit', ['--configuration', path.join(PLUGIN, 'phpunit.xml')], { encoding: 'utf8', cwd: PLUGIN });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/OK \(\d+ tests/);
  });

  it('signs a body exactly as the service does', () => {
    const body = '{"id":"woocommerce:order:101:paid","type":"order.paid","data":{"name":"Łódź \\"x\\" 日本"}}';
    const fromPhp = php(`require '${AUTOLOAD}'; echo Lojal\\WooCommerce\\Core\\Signer::header('lj_whsec_abc', base64_decode('${Buffer.from(body).toString('base64')}'), 1764000000);`);
    expect(fromPhp).toBe(signatureHeader('lj_whsec_abc', body, 1764000000));
  });

  it("counts every currency's minor digits as the service does", () => {
    const codes = Intl.supportedValuesOf('currency');
    expect(codes.length).toBeGreaterThan(100);
    const fromPhp = JSON.parse(php(`require '${AUTOLOAD}'; $o = []; foreach (${JSON.stringify(codes).replace(/^\[/, '[').replace(/\]$/, ']')} as $c) $o[$c] = Lojal\\WooCommerce\\Core\\Currencies::decimals($c); echo json_encode($o);`));
    expect(fromPhp).toEqual(Object.fromEntries(codes.map((c) => [c, minorDigits(c)])));
  });

  it('the .pot holds every string the code translates, and each language translates all of them with its plural forms', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lojal-pot-'));
    try {
      await run(path.join(PLUGIN, 'make-pot.sh'), [path.join(dir, 'lojal.pot')]);
      const expected = msgids(path.join(dir, 'lojal.pot'));
      expect(expected.length).toBeGreaterThan(50);
      expect(msgids(path.join(LANGUAGES, 'lojal.pot'))).toEqual(expected);
      for (const [locale, nplurals] of Object.entries(LOCALES)) {
        const file = path.join(LANGUAGES, `lojal-${locale}.po`);
        const entries = parsePo(readFileSync(file, 'utf8'));
        expect(msgids(file), locale).toEqual(expected);
        const header = entries.find((e) => e.id === '')!.strings[0]!;
        expect(header, locale).toContain(`Language: ${locale}\n`);
        expect(header, locale).toMatch(new RegExp(`Plural-Forms: nplurals=${nplurals}; plural=`));
        for (const e of entries.filter((x) => x.id !== '')) {
          expect(e.fuzzy, `${locale} ${e.id}`).toBe(false);
          expect(e.strings.length, `${locale} ${e.id}`).toBe(e.plural === undefined ? 1 : nplurals);
          expect(e.strings.every((s) => s !== ''), `${locale} ${e.id}`).toBe(true);
          // Every placeholder of the original is kept.
          for (const p of e.id.match(/%(\d\$)?s/g) ?? []) expect(e.strings.every((s) => s.includes(p)), `${locale} ${e.id} ${p}`).toBe(true);
        }
        const check = spawnSync('msgfmt', ['--check', '-o', '/dev/null', file], { encoding: 'utf8' });
        expect(check.status, check.stderr).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds dist/lojal-woocommerce.zip with the folder lojal/ at its root and the .mo files msgfmt would make', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'lojal-wc-zip-'));
    try {
      const files = unzip(readFileSync(buildWooCommerce(out)));
      const names = [...files.keys()];
      expect(names.every((n) => n.startsWith('lojal/'))).toBe(true);
      for (const f of ['lojal/lojal.php', 'lojal/uninstall.php', 'lojal/readme.txt', 'lojal/includes/autoload.php', 'lojal/includes/Plugin.php', 'lojal/assets/admin.js', 'lojal/languages/lojal.pot']) {
        expect(files.has(f), f).toBe(true);
      }
      expect(files.get('lojal/lojal.php')!.toString('utf8')).toMatch(/Plugin Name: +Lojal loyalty points/);
      // Every source file is in the zip unchanged.
      for (const f of filesUnder(path.join(PLUGIN, 'lojal'))) expect(files.get(`lojal/${f}`)?.equals(readFileSync(path.join(PLUGIN, 'lojal', f))), f).toBe(true);
      const readme = files.get('lojal/readme.txt')!.toString('utf8');
      for (const field of ['Contributors', 'Tags', 'Requires at least', 'Tested up to', 'Requires PHP', 'Stable tag', 'License']) expect(readme, field).toMatch(new RegExp(`^${field}: \\S`, 'm'));
      for (const section of ['Description', 'Installation', 'Frequently Asked Questions', 'Screenshots', 'Changelog']) expect(readme, section).toContain(`== ${section} ==`);
      const pos = readdirSync(LANGUAGES).filter((f) => f.endsWith('.po'));
      expect(pos.sort()).toEqual(Object.keys(LOCALES).map((l) => `lojal-${l}.po`).sort());
      for (const po of pos) {
        const mo = path.join(out, po.replace(/\.po$/, '.mo'));
        execFileSync('msgfmt', ['--no-hash', '-o', mo, path.join(LANGUAGES, po)]);
        expect(files.get(`lojal/languages/${po.replace(/\.po$/, '.mo')}`)?.equals(readFileSync(mo)), po).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  describe('against the service', () => {
    let t: TestApp;
    let usd: TestShop;
    let jpy: TestShop;
    let out: Record<string, any>;

    beforeAll(async () => {
      t = await buildTestApp();
      usd = await createShop(t.app, { currency: 'USD' });
      jpy = await createShop(t.app, { currency: 'JPY', name: 'Yen shop' });
      const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
      // Not execFileSync: the service answers from this process's event loop.
      const { stdout } = await run('php', [path.join(PLUGIN, 'tests/contract/send.php'), url, usd.apiKey, usd.webhookSecret, jpy.apiKey, jpy.webhookSecret], { encoding: 'utf8' });
      out = JSON.parse(stdout);
    });
    afterAll(async () => t?.close());

    it("delivers the plugin's signed order events through its outbox; the points appear; a retry is a duplicate", async () => {
      expect(out.sent).toEqual({ 'woocommerce:order:101:paid': 'sent', 'woocommerce:order:101:completed': 'sent', 'woocommerce:order:101:refund:201': 'sent' });
      expect(out.left).toBe(0);
      expect(out.againQueued).toBe(true);
      expect(out.againRun).toBe('sent');
      expect(out.again).toMatchObject({ delivered: true, status: 202, outcome: 'duplicate' });
      const order = (await t.app.inject({ method: 'GET', url: '/v1/orders/101', headers: usd.auth })).json();
      // Each line 2500 less its 250 coupon less half of the 300 negative fee: 2100 + 2100 cents, 1 point per dollar;
      // fees, shipping and tax earn nothing. The refund takes back one of the two mugs: half of line 11's 21.
      expect(order).toMatchObject({ customerId: '7', status: 'refunded', award: { points: 42, status: 'pending' }, reversed: 10 });
      expect(order.award.lines).toEqual([
        expect.objectContaining({ lineId: '11', productId: '11', eligible: 2100, points: 21 }),
        expect.objectContaining({ lineId: '12', productId: '23', eligible: 2100, points: 21 }),
      ]);
      expect(order.refunds).toEqual([expect.objectContaining({ id: '201', amount: 1788, reason: 'Broken handle' })]);
      const member = (await t.app.inject({ method: 'GET', url: '/v1/members/7', headers: usd.auth })).json();
      expect(member).toMatchObject({ email: 'ana@example.com', locale: 'pl', balance: { pending: 32 } });
    });

    it('a payload changed after signing is refused 401', () => {
      expect(out.tampered).toMatchObject({ status: 401, body: { code: 'signature_invalid' } });
    });

    it("a guest's yen order earns in whole yen and is the customer's once they register with its e-mail", async () => {
      expect(out.guest).toEqual({ 'order.completed': 'sent', 'customer.upserted': 'sent' });
      const order = (await t.app.inject({ method: 'GET', url: '/v1/orders/102', headers: jpy.auth })).json();
      expect(order).toMatchObject({ customerId: '9', currency: 'JPY', award: { points: 3240, eligible: 3240 } });
      const member = (await t.app.inject({ method: 'GET', url: '/v1/members/9', headers: jpy.auth })).json();
      expect(member).toMatchObject({ email: 'kenji@example.com', emailVerified: true, locale: 'ja', balance: { pending: 3240 } });
    });

    it('test connection passes with the right secret and names the secret when it is wrong', () => {
      expect(out.connection).toMatchObject({ ok: true, step: 'done', program: { currency: 'USD' } });
      expect(out.wrongSecret).toMatchObject({ ok: false, step: 'secret' });
      expect(out.wrongSecret.error).toMatch(/^HTTP 401 signature_invalid/);
    });

    it("the wp-admin panel's adjustment: once per form key (a double click, sequential or at once), an overdraw refused in words with nothing written, `by` recorded, the panel built from the answers", async () => {
      const url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
      const { stdout } = await run('php', [path.join(PLUGIN, 'tests/contract/adjust.php'), url, usd.apiKey, usd.webhookSecret, '41'], { encoding: 'utf8' });
      const adj = JSON.parse(stdout);
      // The customer as CustomerHooks sends it made the member.
      expect(adj.upsert).toMatchObject({ delivered: true, status: 202, outcome: 'applied' });
      expect(adj.before).toEqual({ available: 0, pending: 0, held: 0 });
      expect(adj.first).toMatchObject({ ok: true, message: 'adjusted', reload: true, newKey: false, entry: { kind: 'adjust', points: 150, reason: 'Goodwill for a late parcel', by: 'Shop Admin' } });
      expect(adj.again).toMatchObject({ ok: true, entry: { id: adj.first.entry.id } });
      expect(adj.changed).toMatchObject({ ok: false, message: 'key_reused', reload: true, newKey: false });
      expect(adj.together.map((o: { ok: boolean }) => o.ok)).toEqual([true, true]);
      expect(adj.together[0].entry.id).toBe(adj.together[1].entry.id);
      expect(adj.overdraw).toMatchObject({ ok: false, message: 'insufficient', newKey: true, reload: false });
      expect(adj.overdraw.words).toMatch(/does not have that many points.*Nothing was changed/);
      const member = (await t.app.inject({ method: 'GET', url: '/v1/members/41', headers: usd.auth })).json();
      expect(member).toMatchObject({ email: 'ola@example.com', locale: 'pl', balance: { available: 175, pending: 0, held: 0 }, lifetime: { redeemed: 0 } });
      const activity = (await t.app.inject({ method: 'GET', url: '/v1/members/41/activity', headers: usd.auth })).json();
      expect(activity.data.map((e: { kind: string; points: number; by?: string }) => [e.kind, e.points, e.by])).toEqual([['adjust', 25, 'Shop Admin'], ['adjust', 150, 'Shop Admin']]);
      expect(activity.data[1]).toMatchObject({ id: adj.first.entry.id, reason: 'Goodwill for a late parcel' });
      // The panel, built from the service's answers, shows that balance and the entries in words, `by` after them.
      expect(adj.panel).toMatchObject({ state: 'member', debt: false, figures: { available: '175', pending: '0', held: '0', earned: '175', redeemed: '0', expired: '0' }, activityError: '' });
      expect(adj.panel.activity).toEqual([
        expect.objectContaining({ text: 'Adjustment: Birthday gift (by Shop Admin)', points: '+25', debit: false }),
        expect.objectContaining({ text: 'Adjustment: Goodwill for a late parcel (by Shop Admin)', points: '+150', debit: false }),
      ]);
    });

    it('imports existing points once: the same batch again is all duplicates', async () => {
      expect(out.importFirst).toEqual({ ok: true, applied: 2, duplicates: 0, errors: [], error: '' });
      expect(out.importAgain).toEqual({ ok: true, applied: 0, duplicates: 2, errors: [], error: '' });
      const member = (await t.app.inject({ method: 'GET', url: '/v1/members/31', headers: usd.auth })).json();
      expect(member).toMatchObject({ email: null, balance: { available: 40 } });
    });
  });

  describe("the storefront's figures against the service", () => {
    let t: TestApp;
    let shop: TestShop;
    let out: Record<string, any>;
    const PROGRAM = {
      currency: 'USD', pointsPerUnit: 3, awardOn: 'paid', pendingDays: 14, includeShipping: true, includeTax: true, negativeBalance: 'allow',
      expiry: { policy: 'none', months: 12 }, remindDaysBefore: [30, 7], redemption: { pointValue: 1, minPoints: 0, maxPercentOfOrder: 100, holdMinutes: 30 },
      restoreGraceDays: 30, guestAccrual: true, bonuses: { signup: 0, birthday: 0, review: 0, referral: 0, feedback: 0 }, feedbackRequestDays: null,
      mail: { senderName: '', replyTo: '', accountUrl: '' },
    };

    beforeAll(async () => {
      t = await buildTestApp();
      shop = await createShop(t.app, { currency: 'USD', name: 'Storefront shop' });
      // Shipping and tax earn, and mugs (category 15) earn double: every part of the cart's quote counts.
      expect((await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: PROGRAM })).statusCode).toBe(200);
      const rule = { name: 'Mugs double', active: true, conditions: { categories: ['15'] }, effect: { multiplier: 2, per: 'line' }, stackable: false };
      expect((await t.app.inject({ method: 'POST', url: '/v1/rules', headers: shop.auth, payload: rule })).statusCode).toBe(201);
      const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { stdout } = await run('php', [path.join(PLUGIN, 'tests/contract/cart-quote.php'), url, shop.apiKey, shop.webhookSecret], { encoding: 'utf8' });
      out = JSON.parse(stdout);
    });
    afterAll(async () => t?.close());

    it("a cart's figure is the award of the order made from it: coupons, a negative fee, shipping, tax, points spent", () => {
      // Each line 25.00 less its 2.50 coupon less half of the 3.00 fee: 21.00 + 21.00, the mugs doubled, 5.00
      // shipping, 4.65 tax over the lines, 3 points a dollar.
      expect(out.cart).toBe(222);
      expect(out.order).toEqual({ sent: 'applied', points: 222, redeemed: 0 });
      // 2.00 paid with points earns nothing.
      expect(out.pointsCart).toBe(215);
      expect(out.pointsOrder).toEqual({ sent: 'applied', points: 215, redeemed: 200 });
    });

    it("an order's points: the estimate of its lines and totals before the service has it, then its pending award", () => {
      expect(out.before).toEqual({ kind: 'estimate', points: 222, availableAt: null, reversed: 0, redeemed: 0, restored: 0 });
      expect(out.after).toMatchObject({ kind: 'pending', points: 222, reversed: 0, redeemed: 0 });
      expect(Date.parse(out.after.availableAt)).toBeGreaterThan(Date.now() + 13 * 86_400_000);
    });

    it("a page's products are quoted in one call, then come from the cache under the tier the service named", () => {
      expect(out.products).toEqual({ points: { '11': 74, '23': 75, '12': 12 }, tier: 'base', calls: 1 });
      expect(out.productsAgain).toEqual({ points: { '11': 74, '23': 75, '12': 12 }, calls: 0 });
    });
  });

  describe('spending points against the service', () => {
    let t: TestApp;
    let shop: TestShop;
    let out: Record<string, any>;

    beforeAll(async () => {
      t = await buildTestApp();
      shop = await createShop(t.app, { currency: 'USD', name: 'Spend shop' });
      const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { stdout } = await run('php', [path.join(PLUGIN, 'tests/contract/spend.php'), url, shop.apiKey, shop.webhookSecret], { encoding: 'utf8' });
      out = JSON.parse(stdout);
    });
    afterAll(async () => t?.close());

    it("quotes and holds with the plugin's client; the points the quote does not allow are refused without a hold", () => {
      expect(out).toMatchObject({ customer: 'sent', credit: 201, applies: true, handedOver: [] });
      expect(out.quote).toEqual({ available: 1000, maxPoints: 1000, minPoints: 0, pointValue: 1, maxAmount: 1000 });
      expect(out.tooMany).toEqual({ ok: false, error: 'out_of_range', min: 1, max: 1000 });
      expect(out.applied).toEqual({ ok: true, points: 500, amount: 500, expires: true });
    });

    it("the order's events, built by OrderPayload from the checkout's _lojal_redemption, commit the hold; the points part earns nothing (D7)", async () => {
      expect(out.pointsRedeemed).toEqual({ redemptionId: out.holdId, points: 500, amount: 500 });
      expect(out.sent).toEqual({ paid: 'sent', completed: 'sent' });
      expect(out.redemption).toMatchObject({ id: out.holdId, status: 'committed', orderId: '501', points: 500 });
      const order = (await t.app.inject({ method: 'GET', url: '/v1/orders/501', headers: shop.auth })).json();
      // 50.00 of products less the 5.00 paid with points, spread over the two lines: 22.50 each, 22 points each.
      expect(order).toMatchObject({ customerId: '41', redeemed: 500, redemption: { id: out.holdId, status: 'committed' }, award: { points: 44, eligible: 4500 } });
      expect(order.award.lines).toEqual([
        expect.objectContaining({ lineId: '1', eligible: 2250, points: 22 }),
        expect.objectContaining({ lineId: '2', eligible: 2250, points: 22 }),
      ]);
    });

    it('a hold whose cart changed is released at the service and its points are available again', async () => {
      expect(out.heldBeforeChange).toEqual({ available: 300, pending: 44, held: 200 });
      expect(out.appliesAfterChange).toBe(false);
      expect(out.released).toMatchObject({ id: out.secondId, status: 'released', orderId: null });
      expect(out.session).toEqual({ lojal_cart_id: expect.stringMatching(/^wc-41-[0-9a-f]{16}$/) });
      const member = (await t.app.inject({ method: 'GET', url: '/v1/members/41', headers: shop.auth })).json();
      expect(member).toMatchObject({ balance: { available: 500, held: 0, pending: 44 }, lifetime: { redeemed: 500 } });
    });
  });
});
