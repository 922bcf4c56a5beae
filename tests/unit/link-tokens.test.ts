import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '../../services/core/mail/unsubscribe-token.ts';

const key = randomBytes(32);
const b64 = (value: string) => Buffer.from(value).toString('base64url');
/** A token made by hand, as the format says: parts, then the MAC under the links' derived key. */
function handMade(parts: string[]): string {
  const body = ['v1', ...parts.map(b64)].join('.');
  const linkKey = createHmac('sha256', key).update('lojal link tokens').digest();
  return `${body}.${createHmac('sha256', linkKey).update(body).digest('base64url')}`;
}

describe('signed link tokens (D17, D14)', () => {
  it('an unsubscribe token keeps the format of the links already sent', () => {
    const token = signToken(key, { purpose: 'unsubscribe', shopId: 'shop_1', memberId: 'mem_1' });
    expect(token).toBe(handMade(['shop_1', 'mem_1', 'unsubscribe']));
    expect(verifyToken(key, 'unsubscribe', token)).toEqual({ purpose: 'unsubscribe', shopId: 'shop_1', memberId: 'mem_1' });
  });

  it('a feedback token names the order too and verifies for feedback only', () => {
    const token = signToken(key, { purpose: 'feedback', shopId: 'shop_1', memberId: 'mem_1', orderId: 'Zam/1 ż' });
    expect(token).toBe(handMade(['shop_1', 'mem_1', 'feedback', 'Zam/1 ż']));
    expect(verifyToken(key, 'feedback', token)).toEqual({ purpose: 'feedback', shopId: 'shop_1', memberId: 'mem_1', orderId: 'Zam/1 ż' });
    expect(verifyToken(key, 'unsubscribe', token)).toBeNull();
    expect(verifyToken(key, 'feedback', signToken(key, { purpose: 'unsubscribe', shopId: 'shop_1', memberId: 'mem_1' }))).toBeNull();
  });

  it('a token of one purpose in the other\'s layout, correctly signed, passes for neither', () => {
    expect(verifyToken(key, 'unsubscribe', handMade(['shop_1', 'mem_1', 'unsubscribe', 'o-1']))).toBeNull();
    expect(verifyToken(key, 'feedback', handMade(['shop_1', 'mem_1', 'unsubscribe', 'o-1']))).toBeNull();
    expect(verifyToken(key, 'feedback', handMade(['shop_1', 'mem_1', 'feedback']))).toBeNull();
    expect(verifyToken(key, 'feedback', handMade(['shop_1', 'mem_1', 'feedback', '']))).toBeNull();
  });
});
