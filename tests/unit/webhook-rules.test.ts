import { describe, expect, it } from 'vitest';
import { afterFailure, backoffMs, endpointErrors, MAX_ATTEMPTS, RETRY_WINDOW_MS, shortError } from '../../services/core/webhooks/webhook-rules.ts';

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
      expect(endpointErrors({ url, enabled: true }), url).toEqual([]);
    }
    expect(endpointErrors({ url: null, enabled: false })).toEqual([]);
    for (const url of ['ftp://shop.example/', 'mailto:a@b.example', '//shop.example/x', 'https:shop.example', 'https://u@shop.example/', 'https://:p@shop.example/', `https://s.example/${'a'.repeat(2048 - 17)}`]) {
      expect(endpointErrors({ url, enabled: false }).map((e) => e.field), url).toEqual(['/url']);
    }
    expect(endpointErrors({ url: null, enabled: true })).toEqual([{ field: '/url', message: 'is required while enabled is true' }]);
  });

  it('keep errors short', () => {
    expect(shortError('x'.repeat(500))).toHaveLength(200);
    expect(shortError('refused')).toBe('refused');
  });
});
