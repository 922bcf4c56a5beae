import { describe, expect, it } from 'vitest';
import { afterFailure, backoffMs, endpointErrors, MAX_ATTEMPTS, RETRY_WINDOW_MS, shortError } from '../../services/core/webhooks/webhook-rules.ts';
import { isPrivateAddress } from '../../services/core/webhooks/webhook-address.ts';

// D16: outbound webhooks retry with a doubling backoff, capped, for at least 24 h after the first attempt.
describe('webhook retries', () => {
  it('wait 30 s, then twice as long each time, at most 6 h', () => {
    expect([1, 2, 3, 4, 10, 11, 20].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000, 15_360_000, 21_600_000, 21_600_000]);
  });

  it('span at least 24 h from the first attempt before a delivery fails, and no attempt more than needed', () => {
    const span = (attempts: number) => Array.from({ length: attempts - 1 }, (_, i) => backoffMs(i + 1)).reduce((a, b) => a + b, 0);
    expect(span(MAX_ATTEMPTS)).toBeGreaterThanOrEqual(RETRY_WINDOW_MS);
    expect(span(MAX_ATTEMPTS - 1)).toBeLessThan(RETRY_WINDOW_MS);
    const at = new Date('2026-11-20T12:00:00Z');
    expect(afterFailure(1, at)).toEqual({ status: 'pending', nextAttemptAt: new Date('2026-11-20T12:00:30Z') });
    expect(afterFailure(MAX_ATTEMPTS - 1, at).status).toBe('pending');
    expect(afterFailure(MAX_ATTEMPTS, at)).toEqual({ status: 'failed', nextAttemptAt: null });
  });
});

describe('webhook endpoints', () => {
  it('take an absolute http(s) URL without credentials, up to 2048 characters; enabled needs one', () => {
    for (const url of ['https://shop.example/hooks', 'http://127.0.0.1:8080/x?y=1', `https://s.example/${'a'.repeat(2048 - 18)}`]) {
      expect(endpointErrors({ url, enabled: true }, true), url).toEqual([]);
    }
    expect(endpointErrors({ url: null, enabled: false }, false)).toEqual([]);
    for (const url of ['ftp://shop.example/', 'mailto:a@b.example', '//shop.example/x', 'https:shop.example', 'https://u@shop.example/', 'https://:p@shop.example/', `https://s.example/${'a'.repeat(2048 - 17)}`]) {
      expect(endpointErrors({ url, enabled: false }, true).map((e) => e.field), url).toEqual(['/url']);
    }
    expect(endpointErrors({ url: null, enabled: true }, false)).toEqual([{ field: '/url', message: 'is required while enabled is true' }]);
  });

  it('refuse hosts of the operator\'s own network unless allowed (WEBHOOK_ALLOW_PRIVATE)', () => {
    const refused = [
      'http://127.0.0.1:8080/x', 'http://10.1.2.3/', 'http://172.16.5.4/', 'http://192.168.1.10/', 'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/', 'http://0.0.0.0/', 'http://[::1]/', 'http://[fe80::1]/', 'http://[fd12:3456::1]/', 'http://[::ffff:127.0.0.1]/',
      'http://localhost:3000/', 'http://api.localhost/', 'http://LOCALHOST./', 'http://2130706433/', 'http://0x7f.1/',
    ];
    for (const url of refused) {
      expect(endpointErrors({ url, enabled: true }, false).map((e) => e.field), url).toEqual(['/url']);
      expect(endpointErrors({ url, enabled: true }, true), url).toEqual([]);
    }
    for (const url of ['https://shop.example/hooks', 'http://93.184.216.34/x', 'https://[2606:4700:4700::1111]/', 'https://172.32.0.1/']) {
      expect(endpointErrors({ url, enabled: true }, false), url).toEqual([]);
    }
  });

  it('judge every resolved address: private, loopback, link-local and reserved ranges in IPv4 and IPv6', () => {
    for (const address of ['127.0.0.53', '10.0.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.127.0.1', '224.0.0.1', '255.255.255.255', '::', '::1', 'fe80::abcd', 'fc00::1', 'ff02::1', '::ffff:10.0.0.1', '::ffff:7f00:1', 'not-an-address']) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('keep errors short', () => {
    expect(shortError('x'.repeat(500))).toHaveLength(200);
    expect(shortError('refused')).toBe('refused');
  });
});
