import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../services/api/canonical-json.ts';

describe('the canonical JSON idempotency hashes (D15)', () => {
  it('is the same for the same body in any key order, at any depth; arrays keep their order', () => {
    const a = { name: 'r', effect: { multiplier: 2, per: 'line' }, conditions: { skus: ['a', 'b'] } };
    const b = { conditions: { skus: ['a', 'b'] }, effect: { per: 'line', multiplier: 2 }, name: 'r' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).not.toBe(canonicalJson({ ...a, conditions: { skus: ['b', 'a'] } }));
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":{"x":1}}'))).toBe('{"__proto__":{"x":1},"b":1}');
    expect(canonicalJson(null)).toBe('null');
  });
});
