import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, unstorableText } from '../../services/api/plugins/text-input.ts';

// The API's input checks without a server.

describe('text PostgreSQL cannot store', () => {
  it('names every string holding U+0000 or an unpaired surrogate, keys included, as JSON Pointers', () => {
    const body = { a: 'ok \u{1F600}', b: ['x', 'y\u0000'], 'c/d~': { e: '\uD800' }, 'k\u0000': 1, f: '\uDC00z', g: 7, h: null };
    expect(unstorableText(body, '').map((e) => e.field)).toEqual(['/b/1', '/c~1d~0/e', '/k\u0000', '/f']);
    expect(unstorableText({ customerId: 'c\u0000' }, 'params')).toEqual([{ field: 'params/customerId', message: expect.stringContaining('U+0000') }]);
    expect(unstorableText('\u0000', '')).toEqual([{ field: '/', message: expect.any(String) }]);
    expect(unstorableText({ fine: ['\u{10FFFF}', 'zażółć'] }, '')).toEqual([]);
  });

  it(`refuses nesting deeper than ${MAX_DEPTH} levels without overflowing the stack, and stops at 20 errors`, () => {
    const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(unstorableText({ a: nested(MAX_DEPTH - 1) }, '')).toEqual([]);
    expect(unstorableText({ a: nested(MAX_DEPTH) }, '')).toEqual([{ field: `/a${'/0'.repeat(MAX_DEPTH - 1)}`, message: 'must not nest deeper than 64 levels' }]);
    expect(unstorableText(nested(500_000), '')).toHaveLength(1);
    expect(unstorableText(Array(1000).fill('\u0000'), '')).toHaveLength(20);
  });
});
