import { describe, expect, it } from 'vitest';
import { applyMove, consumptionOrder, lifetimeDelta, lotBacked, planConsumption, withinRange } from '../../services/core/ledger/ledger-rules.ts';
import type { Move, OpenLot } from '../../services/core/ledger/ledger-types.ts';

const day = (d: number) => new Date(Date.UTC(2026, 0, d));
const lot = (id: string, remaining: number, expiresDay: number | null, createdDay = 1): OpenLot => ({
  id,
  remaining,
  amount: remaining,
  expiresAt: expiresDay === null ? null : day(expiresDay),
  createdAt: day(createdDay),
});

describe('applyMove', () => {
  const start = { pending: 10, available: 100, held: 5 };
  it.each<[string, Move, typeof start]>([
    ['earn into pending', { kind: 'earn', from: null, to: 'pending', points: 7 }, { pending: 17, available: 100, held: 5 }],
    ['mature', { kind: 'mature', from: 'pending', to: 'available', points: 10 }, { pending: 0, available: 110, held: 5 }],
    ['hold', { kind: 'hold', from: 'available', to: 'held', points: 40 }, { pending: 10, available: 60, held: 45 }],
    ['commit', { kind: 'commit', from: 'held', to: null, points: 5 }, { pending: 10, available: 100, held: 0 }],
    ['release', { kind: 'release', from: 'held', to: 'available', points: 5 }, { pending: 10, available: 105, held: 0 }],
    ['debit into debt', { kind: 'reverse', from: 'available', to: null, points: 130 }, { pending: 10, available: -30, held: 5 }],
    ['write-off moves nothing', { kind: 'writeoff', from: null, to: null, points: 30 }, start],
  ])('%s', (_name, move, expected) => {
    expect(applyMove(start, move)).toEqual(expected);
  });
});

describe('lotBacked (D13: lots hold available + held, debt is not in lots)', () => {
  it.each([
    [{ pending: 50, available: 100, held: 20 }, 120],
    [{ pending: 0, available: -30, held: 20 }, 20],
    [{ pending: 0, available: 0, held: 0 }, 0],
  ])('%j → %i', (buckets, expected) => {
    expect(lotBacked(buckets)).toBe(expected);
  });
});

describe('consumption order (D6: soonest-expiring first, no expiry last)', () => {
  it('orders by expiry, then age, then id', () => {
    const lots = [lot('n', 1, null), lot('late', 1, 30), lot('b', 1, 10, 2), lot('a', 1, 10, 2), lot('old', 1, 10, 1)];
    expect([...lots].sort(consumptionOrder).map((l) => l.id)).toEqual(['old', 'a', 'b', 'late', 'n']);
  });

  it.each([
    ['within the first lot', 30, [{ lotId: 'soon', points: 30 }]],
    ['across lots', 120, [{ lotId: 'soon', points: 50 }, { lotId: 'late', points: 60 }, { lotId: 'never', points: 10 }]],
    ['everything', 210, [{ lotId: 'soon', points: 50 }, { lotId: 'late', points: 60 }, { lotId: 'never', points: 100 }]],
    ['nothing', 0, []],
  ])('%s', (_name, points, expected) => {
    const lots = [lot('never', 100, null), lot('late', 60, 20), lot('soon', 50, 5), lot('empty', 0, 1)];
    expect(planConsumption(lots, points)).toEqual(expected);
  });

  it('refuses to plan past what the lots hold', () => {
    expect(() => planConsumption([lot('a', 5, 1)], 6)).toThrow(/short by 1/);
  });
});

describe('lifetimeDelta', () => {
  it.each<[Move, { earned: number; redeemed: number; expired: number }]>([
    [{ kind: 'mature', from: 'pending', to: 'available', points: 10 }, { earned: 10, redeemed: 0, expired: 0 }],
    [{ kind: 'earn', from: null, to: 'pending', points: 10 }, { earned: 0, redeemed: 0, expired: 0 }],
    [{ kind: 'bonus', from: null, to: 'available', points: 10 }, { earned: 10, redeemed: 0, expired: 0 }],
    [{ kind: 'reverse', from: 'available', to: null, points: 4 }, { earned: -4, redeemed: 0, expired: 0 }],
    [{ kind: 'void', from: 'pending', to: null, points: 4 }, { earned: 0, redeemed: 0, expired: 0 }],
    [{ kind: 'commit', from: 'held', to: null, points: 6 }, { earned: 0, redeemed: 6, expired: 0 }],
    [{ kind: 'restore', from: null, to: 'available', points: 6 }, { earned: 0, redeemed: -6, expired: 0 }],
    [{ kind: 'expire', from: 'available', to: null, points: 3 }, { earned: 0, redeemed: 0, expired: 3 }],
    [{ kind: 'release', from: 'held', to: 'available', points: 3 }, { earned: 0, redeemed: 0, expired: 0 }],
  ])('%j', (move, expected) => {
    expect(lifetimeDelta(move)).toEqual(expected);
  });
});

describe('withinRange (D1: every figure, and what pending points will make, within 2^53 − 1)', () => {
  const MAX = Number.MAX_SAFE_INTEGER;
  const lifetime = { earned: 0, redeemed: 0, expired: 0 };
  it.each([
    ['small figures', { pending: 10, available: -5, held: 3 }, lifetime, true],
    ['a balance of exactly 2^53 − 1', { pending: 0, available: MAX, held: 0 }, { ...lifetime, earned: MAX }, true],
    ['a debt of 2^53 − 1', { pending: 0, available: -MAX, held: 0 }, { ...lifetime, earned: -MAX }, true],
    ['available past it', { pending: 0, available: MAX + 1, held: 0 }, lifetime, false],
    ['lifetime expired past it', { pending: 0, available: 0, held: 0 }, { ...lifetime, expired: MAX + 1 }, false],
    ['buckets together past it', { pending: 2 ** 52, available: 2 ** 52, held: 1 }, lifetime, false],
    ['debt does not offset what is held', { pending: 2 ** 52, available: -(2 ** 52), held: 2 ** 52 }, lifetime, false],
    ['pending that would take lifetime earned past it', { pending: 10, available: 0, held: 0 }, { ...lifetime, earned: MAX - 9 }, false],
  ])('%s → %s', (_name, buckets, life, expected) => {
    expect(withinRange(buckets, life)).toBe(expected);
  });
});
