import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, unstorableText } from '../../services/api/plugins/text-input.ts';
import { ProgramChanges } from '../../services/api/routes/program/schemas.ts';
import { RuleBody } from '../../services/api/routes/rules/index.ts';
import { createValidatorCompiler, fractionDigits } from '../../services/api/validation.ts';

// The API's input checks without a server: exact decimals and storable text.

const compile = createValidatorCompiler();
const validator = (schema: unknown) => compile({ schema, httpPart: 'body', method: 'POST', url: '/' } as never) as ((data: unknown) => boolean) & { errors?: { instancePath: string; message: string }[] | null };

/** Every value `whole.fraction` with `places` decimals from `from` to `to` (in units of 10^-places), as a client's JSON text parses. */
function decimals(places: number, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) {
    const scale = 10 ** places;
    out.push(Number(`${Math.floor(i / scale)}.${String(i % scale).padStart(places, '0')}`));
  }
  return out;
}

describe('decimal settings are checked exactly, not with floating-point multipleOf', () => {
  const rule = validator(RuleBody);
  const program = validator(ProgramChanges);
  const ruleWith = (multiplier: number) => ({ name: 'r', effect: { multiplier, per: 'line' } });

  it('accepts every two-decimal multiplier from 0.00 to 100.00', () => {
    const refused = decimals(2, 0, 10_000).filter((m) => !rule(ruleWith(m)));
    expect(refused).toEqual([]);
  });

  it('accepts every four-decimal pointsPerUnit from 0.0000 to 3.0000 and from 9997.0000 to 10000.0000', () => {
    const values = [...decimals(4, 0, 30_000), ...decimals(4, 99_970_000, 100_000_000)];
    expect(values).toContain(1.15);
    expect(values).toContain(10_000);
    expect(values.filter((v) => !program({ pointsPerUnit: v }))).toEqual([]);
  });

  it.each([1.155, 0.001, 2.005, 99.999, 0.1 + 0.2, 1e-7])('refuses the multiplier %s, naming the field', (m) => {
    expect(rule(ruleWith(m))).toBe(false);
    expect(rule.errors).toContainEqual(expect.objectContaining({ instancePath: '/effect/multiplier', message: 'must have at most 2 decimal places' }));
  });

  it.each([0.00001, 1.00005, 9999.99999, 1e-5])('refuses the pointsPerUnit %s', (v) => {
    expect(program({ pointsPerUnit: v })).toBe(false);
    expect(program.errors).toContainEqual(expect.objectContaining({ instancePath: '/pointsPerUnit', message: 'must have at most 4 decimal places' }));
  });

  it.each([
    [0, 0], [100, 0], [1.15, 2], [2.55, 2], [0.0001, 4], [1e-7, 7], [1.5e-7, 8], [1e21, 0], [-2.5, 1], [0.30000000000000004, 17],
  ])('fractionDigits(%s) = %s', (value, digits) => {
    expect(fractionDigits(value)).toBe(digits);
  });
});

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
