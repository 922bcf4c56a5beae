import { describe, expect, it } from 'vitest';
import {
  birthdayDay,
  birthdayReference,
  bonusPoints,
  isBirthday,
  isLeapYear,
  referrerReference,
  requirePoints,
} from '../../services/core/bonuses/bonus-rules.ts';
import { referralProblem, validateProfile, normaliseProfile } from '../../services/core/members/member-rules.ts';

const amounts = { signup: 100, birthday: 50, review: 20, referral: 300, feedback: 0 };

describe('bonus rules (D11)', () => {
  it.each([
    ['review', undefined, 20],
    ['review', 7, 7],
    ['signup', undefined, 100],
    ['birthday', undefined, 50],
    ['referral', undefined, 300],
    ['custom', 5, 5],
    ['custom', undefined, 0],
  ] as const)('a %s bonus naming %j points is worth %i', (kind, points, expected) => {
    expect(bonusPoints(kind, amounts, points)).toBe(expected);
  });

  it('a custom bonus must name its points; the other kinds need not', () => {
    expect(() => requirePoints('custom', undefined)).toThrow(expect.objectContaining({ code: 'validation_failed', details: { errors: [expect.objectContaining({ field: '/points' })] } }));
    expect(() => requirePoints('custom', 1)).not.toThrow();
    expect(() => requirePoints('review', undefined)).not.toThrow();
  });

  it.each([
    [1900, false],
    [2000, true],
    [2024, true],
    [2026, false],
    [2028, true],
    [2100, false],
  ])('%i is a leap year: %s', (year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
  });

  it.each([
    // The shop's calendar day, in its zone.
    ['2026-05-17T12:00:00Z', 'UTC', { year: 2026, month: 5, days: [17] }],
    ['2026-05-16T20:59:59Z', 'Europe/Bucharest', { year: 2026, month: 5, days: [16] }],
    ['2026-05-16T21:00:00Z', 'Europe/Bucharest', { year: 2026, month: 5, days: [17] }],
    ['2026-12-31T22:30:00Z', 'Europe/Bucharest', { year: 2027, month: 1, days: [1] }],
    ['2026-01-01T03:00:00Z', 'America/New_York', { year: 2025, month: 12, days: [31] }],
    // 29 February: on 28 February of a year without one, on its own day otherwise.
    ['2027-02-28T12:00:00Z', 'UTC', { year: 2027, month: 2, days: [28, 29] }],
    ['2028-02-28T12:00:00Z', 'UTC', { year: 2028, month: 2, days: [28] }],
    ['2028-02-29T12:00:00Z', 'UTC', { year: 2028, month: 2, days: [29] }],
    ['2027-03-01T12:00:00Z', 'UTC', { year: 2027, month: 3, days: [1] }],
  ])('at %s in %s the day is %j', (asOf, zone, expected) => {
    expect(birthdayDay(new Date(asOf), zone)).toEqual(expected);
  });

  it.each([
    ['1990-05-17', { year: 2026, month: 5, days: [17] }, true],
    ['1990-05-18', { year: 2026, month: 5, days: [17] }, false],
    ['1990-06-17', { year: 2026, month: 5, days: [17] }, false],
    ['1992-02-29', { year: 2027, month: 2, days: [28, 29] }, true],
    ['1990-02-28', { year: 2027, month: 2, days: [28, 29] }, true],
    ['1992-02-29', { year: 2028, month: 2, days: [28] }, false],
    [null, { year: 2026, month: 5, days: [17] }, false],
  ] as const)('%s is celebrated on %j: %s', (birthday, day, expected) => {
    expect(isBirthday(birthday, { ...day, days: [...day.days] })).toBe(expected);
  });

  it('references: the year for birthdays, the referred member for the referrer', () => {
    expect(birthdayReference({ year: 2027, month: 2, days: [28, 29] })).toBe('2027');
    expect(referrerReference('mem_1')).toBe('referral:mem_1');
  });

  it.each([
    ['c1', 'c1', "must not be the member's own customer id"],
    ['c1', 'c2', null],
    ['c1', null, null],
    ['c1', undefined, null],
  ])('customer %s referred by %j: %j', (customerId, referredBy, problem) => {
    expect(referralProblem(customerId, referredBy)).toBe(problem);
  });

  it('a profile referring its own member is refused, naming /referredBy', () => {
    const profile = normaliseProfile({ referredBy: 'c1' });
    expect(() => validateProfile(profile, new Date('2026-01-01T00:00:00Z'), 'c1')).toThrow(
      expect.objectContaining({ code: 'validation_failed', details: { errors: [{ field: '/referredBy', message: "must not be the member's own customer id" }] } }),
    );
    expect(() => validateProfile(profile, new Date('2026-01-01T00:00:00Z'), 'c2')).not.toThrow();
  });
});
