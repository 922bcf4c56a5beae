import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../../services/core/ledger/ledger-check.ts';
import { movementsOf } from '../../services/core/ledger/lot-movement-repo.ts';
import { openLotsInOrder } from '../../services/core/ledger/lot-repo.ts';
import { post, type Posting } from '../../services/core/ledger/posting.ts';
import type { Move } from '../../services/core/ledger/ledger-types.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import { DomainError } from '../../services/core/common/errors.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { putMember } from '../helpers/members.ts';

const DAY = 86_400_000;
const clock = fixedClock('2026-01-01T00:00:00Z');
let t: TestApp;
let shop: TestShop;
beforeAll(async () => {
  t = await buildTestApp({ clock });
  shop = await createShop(t.app);
});
afterAll(() => t.close());

type Op =
  | { op: 'credit'; points: number; expiresInDays: number | null }
  | { op: 'debit'; points: number; allowNegative: boolean }
  | { op: 'hold'; points: number }
  | { op: 'release'; points: number }
  | { op: 'commit'; points: number }
  | { op: 'expire' }
  | { op: 'restore'; share: number };

const points = fc.integer({ min: 1, max: 400 });
const step = fc.record({
  advanceDays: fc.integer({ min: 0, max: 40 }),
  action: fc.oneof(
    fc.record({ op: fc.constant('credit' as const), points, expiresInDays: fc.option(fc.integer({ min: 1, max: 120 }), { nil: null }) }),
    fc.record({ op: fc.constant('debit' as const), points, allowNegative: fc.boolean() }),
    fc.record({ op: fc.constant('hold' as const), points }),
    fc.record({ op: fc.constant('release' as const), points }),
    fc.record({ op: fc.constant('commit' as const), points }),
    fc.record({ op: fc.constant('expire' as const) }),
    fc.record({ op: fc.constant('restore' as const), share: fc.double({ min: 0.1, max: 1, noNaN: true }) }),
  ),
});

let memberCount = 0;

/**
 * Runs one operation the way the services do: one transaction, the member's row locked. Returns the points an
 * `expire` took or a `restore` gave back (the model cannot know them without the lots), else 0.
 */
async function apply(customerId: string, action: Op, commits: string[]): Promise<number> {
  return t.container.postings.withMember(shop.id, customerId, async (tx, member, now) => {
    const run = (move: Move, extra: Partial<Posting> = {}) => post(tx, member, { move, actor: 'property', ...extra }, now);
    switch (action.op) {
      case 'credit':
        await run(
          { kind: 'adjust', from: null, to: 'available', points: action.points },
          { lotExpiresAt: action.expiresInDays === null ? null : new Date(now.getTime() + action.expiresInDays * DAY) },
        );
        return 0;
      case 'debit':
        await run({ kind: 'adjust', from: 'available', to: null, points: action.points }, { allowNegative: action.allowNegative });
        return 0;
      case 'hold':
        if (member.balance.available < action.points) return 0; // a hold never takes what is not there
        await run({ kind: 'hold', from: 'available', to: 'held', points: action.points });
        return 0;
      case 'release':
        await run({ kind: 'release', from: 'held', to: 'available', points: Math.min(action.points, member.balance.held) || 1 });
        return 0;
      case 'commit': {
        const { entry } = await run({ kind: 'commit', from: 'held', to: null, points: Math.min(action.points, member.balance.held) || 1 });
        commits.push(entry.id);
        return 0;
      }
      case 'expire': {
        // D8: every lot past its expiry gives up what is not on hold.
        let current = member;
        let taken = 0;
        for (const lot of await openLotsInOrder(tx, shop.id, member.id, 1_000, null)) {
          if (!lot.expiresAt || lot.expiresAt > now) continue;
          const take = Math.min(lot.remaining, Math.max(current.balance.available, 0));
          if (take === 0) continue;
          ({ member: current } = await post(tx, current, { move: { kind: 'expire', from: 'available', to: null, points: take }, actor: 'property', fromLot: lot }, now));
          taken += take;
        }
        return taken;
      }
      case 'restore': {
        const commitId = commits.shift();
        if (!commitId) return 0;
        const taken = await movementsOf(tx, shop.id, [commitId]);
        const takes = taken
          .map((m) => ({ lotId: m.lotId, points: Math.floor(-m.points * action.share) }))
          .filter((take) => take.points > 0);
        const total = takes.reduce((sum, take) => sum + take.points, 0);
        if (total === 0) return 0;
        await run(
          { kind: 'restore', from: null, to: 'available', points: total },
          { restoreTo: { takes, graceUntil: new Date(now.getTime() + 30 * DAY) } },
        );
        return total;
      }
    }
  });
}

type Balance = { available: number; pending: number; held: number };

/**
 * What the operation must do to the balance, worked out from the balance alone: the new balance, or 'refused'
 * when it asks for points that are not there without permission (D13: never below zero unless allowed).
 * `expire` and `restore` are settled from what `apply` reports.
 */
function expected(before: Balance, action: Op): Balance | 'refused' {
  const { available, held } = before;
  switch (action.op) {
    case 'credit':
      return { ...before, available: available + action.points };
    case 'debit':
      if (!action.allowNegative && available < action.points) return 'refused';
      return { ...before, available: available - action.points };
    case 'hold':
      return available < action.points ? before : { ...before, available: available - action.points, held: held + action.points };
    case 'release':
      return held === 0 ? 'refused' : { ...before, available: available + Math.min(action.points, held), held: held - Math.min(action.points, held) };
    case 'commit':
      return held === 0 ? 'refused' : { ...before, held: held - Math.min(action.points, held) };
    case 'expire':
    case 'restore':
      return before;
  }
}

const entryCount = async () =>
  (await t.container.database.pool.query('SELECT count(*)::int AS n FROM ledger_entries WHERE shop_id = $1', [shop.id])).rows[0].n as number;

describe('ledger invariants under random operation sequences (D13, property-based)', () => {
  it('hold after every step, and the check finds nothing', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const customerId = `prop-${++memberCount}`;
        await putMember(t.app, shop, customerId);
        const commits: string[] = [];
        let model: Balance = { available: 0, pending: 0, held: 0 };
        // Debt is allowed only once a debit that was allowed to overdraw made it, and lasts until it is repaid.
        let debtAllowed = false;
        for (const { advanceDays, action } of steps) {
          clock.advance(advanceDays * DAY);
          const want = expected(model, action as Op);
          const entriesBefore = await entryCount();
          let moved = 0;
          let refused = false;
          try {
            moved = await apply(customerId, action as Op, commits);
          } catch (error) {
            // Only an overdraft without permission may be refused, and only as insufficient_points.
            if (!(error instanceof DomainError && error.code === 'insufficient_points')) throw error;
            refused = true;
          }
          const label = JSON.stringify({ action, model });
          expect(refused ? 'refused' : 'done', label).toBe(want === 'refused' ? 'refused' : 'done');
          if (refused) expect(await entryCount(), `${label}: a refusal writes nothing`).toBe(entriesBefore);
          if (want !== 'refused') model = want;
          if (action.op === 'restore') model = { ...model, available: model.available + moved };
          if (action.op === 'expire') {
            // Expiry takes only what is available, never held points, never into debt.
            expect(moved, label).toBeLessThanOrEqual(Math.max(model.available, 0));
            model = { ...model, available: model.available - moved };
          }
          if (action.op === 'debit' && action.allowNegative && model.available < 0) debtAllowed = true;
          if (model.available >= 0) debtAllowed = false;

          const member = await t.container.members.get(shop.id, customerId);
          expect(member.balance, label).toEqual(model);
          expect(member.balance.pending).toBeGreaterThanOrEqual(0);
          expect(member.balance.held).toBeGreaterThanOrEqual(0);
          if (!debtAllowed) expect(member.balance.available, label).toBeGreaterThanOrEqual(0);
          const report = await checkLedger(t.container.database.db, shop.id);
          expect(report.differences).toEqual([]);
        }
      }),
      { numRuns: 30 },
    );
  });
});
