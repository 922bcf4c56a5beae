import { describe, expect, it } from 'vitest';
import { addMonths, inactiveSince, lotExpiry } from '../../services/core/earning/expiry-rules.ts';

// D8: the dates the expiry policies give.
const at = new Date('2026-01-31T10:00:00Z');

describe('expiry rules (D8)', () => {
  it('adds calendar months, keeping the day where the month has it', () => {
    expect(addMonths(at, 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonths(at, -2).toISOString()).toBe('2025-11-30T10:00:00.000Z');
  });

  it('dates a lot under afterMonths and endOfPeriod, and not under none or inactivity', () => {
    expect(lotExpiry({ policy: 'afterMonths', months: 6 }, at)?.toISOString()).toBe('2026-07-31T10:00:00.000Z');
    expect(lotExpiry({ policy: 'endOfPeriod', months: 1, period: 'month' }, at)?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(lotExpiry({ policy: 'endOfPeriod', months: 1, period: 'year' }, at)?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(lotExpiry({ policy: 'none', months: 12 }, at)).toBeNull();
    expect(lotExpiry({ policy: 'inactivity', months: 12 }, at)).toBeNull();
  });

  it('gives the inactivity cut-off only under inactivity: N months before asOf', () => {
    expect(inactiveSince({ policy: 'inactivity', months: 3 }, new Date('2027-05-31T12:00:00Z'))?.toISOString()).toBe('2027-02-28T12:00:00.000Z');
    for (const policy of ['none', 'afterMonths', 'endOfPeriod'] as const) expect(inactiveSince({ policy, months: 3 }, at)).toBeNull();
  });
});
