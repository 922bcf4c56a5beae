import { describe, expect, it } from 'vitest';
import { addressKey, failureLimiter } from '../../services/api/plugins/auth-failures.ts';

describe('failureLimiter', () => {
  it('blocks a key at its limit until its window ends, each key on its own', async () => {
    const limiter = failureLimiter({ maxFailures: 2, windowMs: 100 });
    limiter.fail('a');
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    limiter.fail('a');
    expect(limiter.retryAfterSeconds('a')).toBe(1); // rounded up to whole seconds
    expect(limiter.retryAfterSeconds('b')).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    limiter.fail('a');
    expect(limiter.retryAfterSeconds('a')).toBe(0); // a new window
  });

  it('holds at most maxAddresses windows, forgetting the oldest', () => {
    const limiter = failureLimiter({ maxFailures: 1, maxAddresses: 2 });
    for (const key of ['a', 'b', 'c']) limiter.fail(key);
    expect(['a', 'b', 'c'].map((key) => limiter.retryAfterSeconds(key) > 0)).toEqual([false, true, true]);
  });
});

describe('addressKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s counts as %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});
