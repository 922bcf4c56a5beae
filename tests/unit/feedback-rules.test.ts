import { describe, expect, it } from 'vitest';
import { checkAnswer, requestWindow } from '../../services/core/feedback/feedback-rules.ts';

describe('feedback rules (D14)', () => {
  it('a run asks about orders completed between days + 30 and days before it, both ends included', () => {
    expect(requestWindow('shop_1', new Date('2026-11-27T10:00:00Z'), 7)).toEqual({
      shopId: 'shop_1',
      completedFrom: new Date('2026-10-21T10:00:00Z'),
      completedBy: new Date('2026-11-20T10:00:00Z'),
    });
  });

  it.each([
    [0, undefined, { score: 0, comment: null }],
    [10, null, { score: 10, comment: null }],
    [7, '   ', { score: 7, comment: null }],
    [7, '  Fast\r\ndelivery  ', { score: 7, comment: 'Fast\ndelivery' }],
    [5, '😀'.repeat(2000), { score: 5, comment: '😀'.repeat(2000) }],
  ])('takes score %s with comment %j', (score, comment, expected) => {
    expect(checkAnswer(score, comment)).toEqual(expected);
  });

  it.each([
    [-1, null, '/score'],
    [11, null, '/score'],
    [7.5, null, '/score'],
    ['7', null, '/score'],
    [7, 'x'.repeat(2001), '/comment'],
    [7, 42, '/comment'],
  ])('refuses score %j with comment %j (%s)', (score, comment, field) => {
    expect(() => checkAnswer(score, comment)).toThrow(expect.objectContaining({ code: 'validation_failed', details: { errors: [expect.objectContaining({ field })] } }));
  });
});
