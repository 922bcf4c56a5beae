import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newId } from '../../services/core/common/ids.ts';
import {
  decryptSecret,
  encryptSecret,
  generateApiKey,
  hashApiKey,
  safeEqual,
} from '../../services/core/common/secrets.ts';

describe('secrets (D20)', () => {
  const key = randomBytes(32);

  it('seals and opens a webhook secret, with a fresh nonce each time', () => {
    const a = encryptSecret('lj_whsec_abc', key);
    const b = encryptSecret('lj_whsec_abc', key);
    expect(a).not.toBe(b);
    expect(a).not.toContain('abc');
    expect(decryptSecret(a, key)).toBe('lj_whsec_abc');
  });

  it('refuses a tampered ciphertext or the wrong key', () => {
    const sealed = encryptSecret('lj_whsec_abc', key);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    const tampered = [parts[0], parts[1], parts[2], body.toString('base64url')].join('.');
    expect(() => decryptSecret(tampered, key)).toThrow();
    expect(() => decryptSecret(sealed, randomBytes(32))).toThrow();
  });

  it('makes keys with 256 random bits and hashes them deterministically', () => {
    const k1 = generateApiKey();
    const k2 = generateApiKey();
    expect(k1).not.toBe(k2);
    expect(Buffer.from(k1.slice(6), 'base64url')).toHaveLength(32);
    expect(hashApiKey(k1)).toBe(hashApiKey(k1));
    expect(hashApiKey(k1)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
  ])('safeEqual(%j, %j) is %s', (a, b, expected) => {
    expect(safeEqual(a, b)).toBe(expected);
  });
});

describe('newId', () => {
  it('is prefixed, 26 characters of Crockford base32 and ordered by time', () => {
    const earlier = newId('shop', 1_700_000_000_000);
    const later = newId('shop', 1_700_000_000_001);
    expect(earlier).toMatch(/^shop_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(earlier < later).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newId('x'))).size).toBe(1000);
  });
});
