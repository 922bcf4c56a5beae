import { describe, expect, it } from 'vitest';
import { ImportLine as ImportLineSchema } from '../../services/api/routes/imports/schemas.ts';
import { createValidatorCompiler } from '../../services/api/validation.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import { batches, classifyBatch, isDateTime, lineProblems, parseImport, sameImport } from '../../services/core/imports/import-rules.ts';
import type { Imported, ImportLine } from '../../services/core/imports/import-types.ts';

const now = new Date('2026-11-20T12:00:00Z');
const good = { customerId: 'c1', points: 100, reference: 'r1' };
const text = (...lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');

describe('parseImport', () => {
  it('reads one object a line, skipping blank lines and a byte order mark, numbering every line of the text', () => {
    const parsed = parseImport(`\uFEFF${JSON.stringify(good)}\r\n\n  \n${JSON.stringify({ ...good, reference: 'r2', email: 'Ana@Example.com', expiresAt: '2027-01-01T00:00:00+01:00' })}\n`, now);
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines).toEqual([
      { line: 1, customerId: 'c1', email: null, points: 100, expiresAt: null, reference: 'r1' },
      { line: 4, customerId: 'c1', email: 'ana@example.com', points: 100, expiresAt: new Date('2026-12-31T23:00:00Z'), reference: 'r2' },
    ]);
  });

  it('reports each bad line with its number and code, and keeps the others', () => {
    const parsed = parseImport(text(good, '{"customerId": "c2",', [good], { ...good, points: 0 }, { ...good, reference: 'r5' }), now, { firstLine: 11 });
    expect(parsed.lines.map((l) => l.line)).toEqual([11, 15]);
    expect(parsed.errors).toEqual([
      { line: 12, code: 'invalid_json', detail: 'The line is not valid JSON' },
      { line: 13, code: 'validation_failed', detail: '/: must be a JSON object' },
      { line: 14, code: 'validation_failed', detail: '/points: must be from 1 to 9007199254740991' },
    ]);
  });

  it.each([
    ['', 'validation_failed'],
    ['\n \r\n', 'validation_failed'],
  ])('refuses a text without lines (%j) as a whole: %s', (body, code) => {
    expect(() => parseImport(body, now)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses more lines than allowed as a whole (payload_too_large), blank lines not counted', () => {
    const three = text(good, good, '', good);
    expect(parseImport(three, now, { maxLines: 3 }).lines).toHaveLength(3);
    expect(() => parseImport(`${three}\n${JSON.stringify(good)}`, now, { maxLines: 3 })).toThrow(
      expect.objectContaining({ code: 'payload_too_large', status: 413 }),
    );
  });
});

describe('lineProblems', () => {
  it.each([
    [{ points: 1, reference: 'r' }, ['/customerId']],
    [{ ...good, customerId: 42 }, ['/customerId']],
    [{ ...good, customerId: '   ' }, ['/customerId']],
    [{ ...good, customerId: 'a\u0000b' }, ['/customerId']],
    [{ ...good, customerId: 'a\uD800b' }, ['/customerId']],
    [{ ...good, customerId: 'x'.repeat(129) }, ['/customerId']],
    [{ ...good, email: 'not-an-email' }, ['/email']],
    [{ ...good, email: 5 }, ['/email']],
    [{ ...good, points: undefined }, ['/points']],
    [{ ...good, points: '10' }, ['/points']],
    [{ ...good, points: 1.5 }, ['/points']],
    [{ ...good, points: -3 }, ['/points']],
    [{ ...good, points: 2 ** 53 }, ['/points']],
    [{ ...good, expiresAt: '2027-02-30T00:00:00Z' }, ['/expiresAt']],
    [{ ...good, expiresAt: '2027-01-01' }, ['/expiresAt']],
    [{ ...good, expiresAt: '2027-01-01T00:00:00' }, ['/expiresAt']],
    [{ ...good, expiresAt: '2026-11-20T12:00:00Z' }, ['/expiresAt']],
    [{ ...good, expiresAt: 1798761600 }, ['/expiresAt']],
    [{ ...good, reference: '' }, ['/reference']],
    [{ customerId: 'c1', points: 1 }, ['/reference']],
    [{ ...good, expires_at: '2027-01-01T00:00:00Z' }, ['/expires_at']],
    [{ ...good, email: null, expiresAt: null }, []],
    [{ ...good, points: 2 ** 53 - 1, expiresAt: '2026-11-20T12:00:00.001z' }, []],
  ])('%j: problems at %j', (fields, where) => {
    expect(lineProblems(fields as Record<string, unknown>, now).map((p) => p.field)).toEqual(where);
  });

  it.each([
    ['2027-01-01T00:00:00Z', true],
    ['2027-01-01t00:00:00.123456z', true],
    ['2027-01-01 00:00:00-05:30', true],
    ['2028-02-29T23:59:59Z', true],
    ['2027-02-29T00:00:00Z', false],
    ['2027-01-01T24:00:00Z', false],
    ['2027-01-01T00:00:00+0100', false],
    ['2027-01-01T00:00:00+24:00', false],
    ['2027-13-01T00:00:00Z', false],
  ])('%s is an RFC 3339 date-time: %s', (value, expected) => {
    expect(isDateTime(value)).toBe(expected);
  });

  // The route's OpenAPI schema says what a line is; the rules check it. Both agree on every sample (the future
  // check aside, which a schema cannot say).
  it.each([
    good,
    { ...good, email: 'ana@example.com', expiresAt: '2027-01-01T00:00:00Z' },
    { ...good, email: null, expiresAt: null },
    { ...good, customerId: '' },
    { ...good, customerId: ' ' },
    { ...good, customerId: 'tab\there' },
    { ...good, customerId: 'ż'.repeat(128) },
    { ...good, customerId: 'ż'.repeat(129) },
    { ...good, customerId: 7 },
    { ...good, email: 'a@b' },
    { ...good, email: `${'a'.repeat(310)}@example.com` },
    { ...good, points: 0 },
    { ...good, points: 1.5 },
    { ...good, points: 2 ** 53 - 1 },
    { ...good, points: 2 ** 53 },
    { ...good, expiresAt: 'tomorrow' },
    { ...good, expiresAt: '2027-02-30T00:00:00Z' },
    { ...good, reference: 'r'.repeat(129) },
    { ...good, extra: true },
    { points: 1 },
  ])('agrees with the OpenAPI line schema on %j', (fields) => {
    const validate = createValidatorCompiler({ clock: fixedClock(now) })({ schema: ImportLineSchema, httpPart: 'body' } as never) as (v: unknown) => boolean;
    expect(lineProblems(fields as Record<string, unknown>, now).length === 0).toBe(validate(structuredClone(fields)));
  });
});

const line = (n: number, fields: Partial<ImportLine> = {}): ImportLine => ({
  line: n,
  customerId: 'c1',
  email: null,
  points: 100,
  expiresAt: null,
  reference: `r${n}`,
  ...fields,
});
const imported = (fields: Partial<Imported> = {}): Imported => ({ reference: 'r1', customerId: 'c1', points: 100, expiresAt: null, ...fields });

describe('idempotent per reference', () => {
  const at = new Date('2027-06-01T00:00:00Z');
  it.each([
    [line(1), imported(), true],
    [line(1), imported({ expiresAt: at }), true],
    [line(1, { expiresAt: at }), imported({ expiresAt: at }), true],
    [line(1, { expiresAt: at }), imported(), false],
    [line(1, { expiresAt: new Date(at.getTime() + 1) }), imported({ expiresAt: at }), false],
    [line(1, { points: 99 }), imported(), false],
    [line(1, { customerId: 'c2' }), imported(), false],
    [line(1, { customerId: 'c2' }), imported({ customerId: null }), true],
  ])('%j after %j is the same import: %s', (l, prior, same) => {
    expect(sameImport(l, prior)).toBe(same);
  });

  it('applies new references, repeats known ones, and refuses a reference reused with other data, earlier lines of the batch included', () => {
    const before = new Map([['old', imported({ reference: 'old', points: 5 })]]);
    const outcomes = classifyBatch(
      [line(1), line(2, { reference: 'r1' }), line(3, { reference: 'r1', points: 7 }), line(4, { reference: 'old', points: 5 }), line(5, { reference: 'old' })],
      before,
      at,
    );
    expect(outcomes.map((o) => (o.kind === 'error' ? o.error.code : o.kind))).toEqual(['apply', 'duplicate', 'reference_reused', 'duplicate', 'reference_reused']);
    expect(outcomes[0]).toMatchObject({ kind: 'apply', lotExpiresAt: at });
    expect(outcomes[4]).toMatchObject({ error: { line: 5, detail: 'Reference "old" was imported with other data: 5 points' } });
    const other = classifyBatch([line(1, { reference: 'old', customerId: 'c2', points: 5, expiresAt: at })], before, null)[0];
    // The other customer is not named: a stored answer must not keep a customer id an erasure cannot find (D19).
    expect(other).toMatchObject({ error: { detail: 'Reference "old" was imported with other data: for another customer, without expiry' } });
  });

  it('a line with its own expiry makes a lot expiring then', () => {
    const own = new Date('2030-01-01T00:00:00Z');
    expect(classifyBatch([line(1, { expiresAt: own })], new Map(), at)[0]).toMatchObject({ kind: 'apply', lotExpiresAt: own });
    expect(classifyBatch([line(1)], new Map(), null)[0]).toMatchObject({ kind: 'apply', lotExpiresAt: null });
  });

  it('batches keep the order', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 2)).toEqual([]);
  });
});
