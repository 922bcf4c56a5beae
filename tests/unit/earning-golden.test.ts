/**
 * Golden table for the earning rules (D1, D2, D7, D12). Every expected number in tests/fixtures/earning was worked
 * out by hand from the rules in docs/rules.md (D2, D12) and the doc comments, with the arithmetic in each fixture's `workings`; none was
 * produced by running the code. A failure here means the code and the hand arithmetic disagree: re-check the
 * workings against docs/rules.md before touching either.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computeAward } from '../../services/core/earning/earning-rules.ts';
import type { EarningContext, EarningOrder, EarningProgram, EarningRule } from '../../services/core/earning/earning-types.ts';

type Dated<T, K extends keyof T> = Omit<T, K> & { [P in K]: string | null };

interface ExpectedLine {
  lineId: string;
  eligible: number;
  basePoints: number;
  bonusPoints: number;
  points: number;
}

interface GoldenCase {
  name: string;
  why: string;
  workings?: string;
  program: EarningProgram;
  rules: Dated<EarningRule, 'startsAt' | 'endsAt'>[];
  context: EarningContext;
  order: Omit<EarningOrder, 'placedAt'> & { placedAt: string };
  expected: { points: number; lines: ExpectedLine[]; rulesApplied: { ruleId: string; version: number }[] };
}

const dir = fileURLToPath(new URL('../fixtures/earning/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const cases = files.map((file) => ({ file, golden: JSON.parse(readFileSync(join(dir, file), 'utf8')) as GoldenCase }));

const date = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));

describe('earning golden table', () => {
  it('has exactly 10 fixtures, numbered 01..10', () => {
    expect(files).toHaveLength(10);
    expect(files.map((f) => f.slice(0, 3))).toEqual(['01-', '02-', '03-', '04-', '05-', '06-', '07-', '08-', '09-', '10-']);
  });

  it.each(cases)('$file', ({ golden }) => {
    expect(golden.name).toBeTruthy();
    expect(golden.why).toMatch(/D(1|2|7|12)\b/);
    for (const iso of [golden.order.placedAt, ...golden.rules.flatMap((r) => [r.startsAt, r.endsAt])]) {
      if (iso !== null) expect(Number.isNaN(new Date(iso).getTime()), `bad ISO date ${iso}`).toBe(false);
    }

    const order: EarningOrder = { ...golden.order, placedAt: new Date(golden.order.placedAt) };
    const rules: EarningRule[] = golden.rules.map((r) => ({ ...r, startsAt: date(r.startsAt), endsAt: date(r.endsAt) }));
    const plan = computeAward(order, golden.program, rules, golden.context);

    const { expected } = golden;
    expect(
      plan.lines.map((l) => ({ lineId: l.lineId, eligible: l.eligible, basePoints: l.basePoints, bonusPoints: l.bonusPoints, points: l.points })),
    ).toEqual(expected.lines);
    expect(plan.points).toBe(expected.points);
    expect(plan.rulesApplied).toEqual(expected.rulesApplied);

    // The fixture is consistent with itself: the award is the sum of its lines.
    expect(expected.lines.reduce((a, l) => a + l.points, 0)).toBe(expected.points);
  });
});
