import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, unstorableText } from '../../services/api/plugins/text-input.ts';
import { ProgramChanges } from '../../services/api/routes/program/schemas.ts';
import { RuleBody } from '../../services/api/routes/rules/index.ts';
import { ExternalId } from '../../services/api/schemas.ts';
import { closed, createValidatorCompiler, fractionDigits } from '../../services/api/validation.ts';
import { birthdayProblem } from '../../services/core/members/member-rules.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import { isId, newId } from '../../services/core/common/ids.ts';

// The API's input checks without a server: exact decimals, closed objects, ids, birthdays and storable text.

const NOW = new Date('2026-11-20T12:00:00Z');
const compile = createValidatorCompiler({ clock: fixedClock(NOW) });
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

describe('closed objects: a body field no schema names is refused (API writes)', () => {
  it('closes every object that names its properties, at any depth, and leaves defaults and explicit choices alone', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: 'object', properties: { b: { type: 'string' } }, default: { b: 'x' } },
        open: { type: 'object', additionalProperties: true },
        list: { type: 'array', items: { type: 'object', properties: { c: { type: 'integer' } } } },
        either: { anyOf: [{ type: 'object', properties: { d: { type: 'string' } } }, { type: 'null' }] },
      },
    };
    expect(closed(schema)).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        a: { type: 'object', properties: { b: { type: 'string' } }, default: { b: 'x' }, additionalProperties: false },
        open: { type: 'object', additionalProperties: true },
        list: { type: 'array', items: { type: 'object', properties: { c: { type: 'integer' } }, additionalProperties: false } },
        either: { anyOf: [{ type: 'object', properties: { d: { type: 'string' } }, additionalProperties: false }, { type: 'null' }] },
      },
    });
  });

  it('keeps fields for storefront events (unknownFields: keep)', () => {
    const keep = createValidatorCompiler({ clock: fixedClock(NOW), unknownFields: 'keep' });
    const validate = keep({ schema: RuleBody, httpPart: 'body', method: 'POST', url: '/' } as never) as (data: unknown) => boolean;
    expect(validate({ ...{ name: 'r', effect: { multiplier: 2, per: 'line' } }, extra: 1 })).toBe(true);
    expect(validator(RuleBody)({ name: 'r', effect: { multiplier: 2, per: 'line' }, extra: 1 })).toBe(false);
  });
});

describe('ids', () => {
  const id = validator(ExternalId());
  it.each(['c1', ' c1', 'a b', 'zażółć', '\u{1F600}', 'x'.repeat(128)])('takes %j as it is', (value) => {
    expect(id(value)).toBe(true);
  });
  it.each(['', ' ', '  \t ', '\u3000', 'c\u0000', 'c\u0001', 'c\n', 'c\u007f', 'c\u0085', 'x'.repeat(129)])('refuses %j', (value) => {
    expect(id(value)).toBe(false);
  });

  it('knows the shape of the ids Lojal gives out, prefix included', () => {
    expect(isId('rule', newId('rule'))).toBe(true);
    expect(isId('rule', newId('red'))).toBe(false);
    expect(isId('rule', `${newId('rule')}x`)).toBe(false);
    expect(isId('rule', 'rule_')).toBe(false);
    expect(isId('rule', 'garbage')).toBe(false);
  });
});

describe('birthdays', () => {
  it.each([
    ['1990-05-17', null],
    ['1900-01-01', null],
    ['2026-11-20', null],
    ['1899-12-31', 'must be from 1900-01-01 to today'],
    ['0000-01-01', 'must be from 1900-01-01 to today'],
    ['2026-11-21', 'must be from 1900-01-01 to today'],
    ['1990-02-30', 'must be a real day, YYYY-MM-DD'],
    ['17-05-1990', 'must be a real day, YYYY-MM-DD'],
  ])('%s: %s', (day, problem) => {
    expect(birthdayProblem(day, NOW)).toBe(problem);
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
