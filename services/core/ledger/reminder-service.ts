import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx, type Executor } from '../../db/tx.ts';
import { inactiveSince, inactivityExpiresAt } from '../earning/expiry-rules.ts';
import { safeZone } from '../mail/mail-locale.ts';
import { raiseEvents } from '../outbox/outbox-repo.ts';
import type { ProgramService } from '../program/program-service.ts';
import type { ProgramSettings } from '../program/program-types.ts';
import type { Clock } from '../common/clock.ts';
import { sweepInChunks, type SweepLimits } from '../common/sweep.ts';
import { findShop } from '../shops/shop-repo.ts';
import { allShopIds } from './expiry-repo.ts';
import {
  countNewReminders,
  dayStart,
  expiringLots,
  inactiveMembers,
  insertReminders,
  type CandidateChunk,
  type ReminderScope,
} from './reminder-repo.ts';

export interface ReminderCounts {
  /** Reminders raised (one `points.expiring` event each). */
  reminded: number;
  points: number;
}

/** D8: members per chunk (one transaction each) and chunks per run; what is left waits for the next run. */
export const REMIND_SWEEP: SweepLimits = { chunk: 1_000, maxChunks: 1_000 };

export type ReminderService = ReturnType<typeof createReminderService>;

/** The windows of `remindDaysBefore` that can hold a day: whole, positive, each once, smallest first. */
export function reminderWindows(settings: ProgramSettings): number[] {
  if (settings.expiry.policy === 'none') return [];
  return [...new Set(settings.remindDaysBefore.filter((d) => Number.isInteger(d) && d > 0))].sort((a, b) => a - b);
}

/**
 * How a run finds its candidates, a chunk of members after `after` at a time: dated lots by their days; under
 * `inactivity` the whole balance, on the day the sweep's rule (expiry-rules.ts) makes the member due.
 */
function finder(expiry: ProgramSettings['expiry'], s: ReminderScope, until: Date) {
  if (expiry.policy !== 'inactivity') return (tx: Executor, after: string, limit: number) => expiringLots(tx, s, until, after, limit);
  const range = { from: inactiveSince(expiry, s.asOf)!, to: inactiveSince(expiry, new Date(until.getTime() - 1))! };
  return async (tx: Executor, after: string, limit: number): Promise<CandidateChunk> => {
    const members = await inactiveMembers(tx, s.shopId, range, after, limit);
    return {
      found: members.length,
      last: members.at(-1)?.memberId ?? null,
      expiring: members.map((m) => ({ memberId: m.memberId, expiresAt: inactivityExpiresAt(expiry, m.since)!, points: m.available })),
    };
  };
}

/**
 * D8: the `remind` job. For a shop whose points can expire, finds the members whose available points expire on a
 * calendar day of the shop within the next d days (d in `remindDaysBefore`), and raises one `points.expiring` event
 * (points, expiresAt, days left) per member, day and reminder, ever: the expiry_reminders row inserted in the same
 * transaction as the event is what says it went. A day first seen inside several windows gets the smallest one's.
 * Dated lots give their days; under `inactivity` the whole balance expires on the day the sweep's rule says.
 */
export function createReminderService({ database, clock, program }: { database: Database; clock: Clock; program: ProgramService }) {
  const { db } = database;

  /** One chunk of candidates read, then reminded (or counted), in one transaction. */
  async function chunk(
    s: ReminderScope,
    dryRun: boolean,
    find: (tx: Executor) => Promise<CandidateChunk>,
    counts: ReminderCounts,
  ): Promise<CandidateChunk> {
    return withTx(db, async (tx) => {
      const found = await find(tx);
      if (dryRun) {
        const would = await countNewReminders(tx, s, found.expiring);
        counts.reminded += would.reminded;
        counts.points += would.points;
        return found;
      }
      const now = clock.now();
      const reminders = await insertReminders(tx, s, found.expiring, now);
      await raiseEvents(tx, reminders.map((r) => ({
        shopId: s.shopId,
        type: 'points.expiring' as const,
        memberId: r.memberId,
        data: { points: r.points, expiresAt: r.expiresAt.toISOString(), days: r.daysLeft },
        at: now,
      })));
      counts.reminded += reminders.length;
      counts.points += reminders.reduce((sum, r) => sum + r.points, 0);
      return found;
    });
  }

  async function remindShop(shopId: string, asOf: Date, dryRun: boolean, limits: SweepLimits): Promise<ReminderCounts> {
    const counts = { reminded: 0, points: 0 };
    const settings = await program.get(shopId);
    const windows = reminderWindows(settings);
    const shop = await findShop(reader(db), shopId);
    if (windows.length === 0 || !shop) return counts;
    const s: ReminderScope = { shopId, asOf, timeZone: safeZone(shop.timezone), windows };
    // Nothing past the end of the last day of the widest window is due a reminder yet.
    const until = await dayStart(reader(db), asOf, s.timeZone, windows.at(-1)! + 1);
    let after = '';
    const find = finder(settings.expiry, s, until);
    await sweepInChunks(async (limit) => {
      const found = await chunk(s, dryRun, (tx) => find(tx, after, limit), counts);
      after = found.last ?? after;
      return found.found;
    }, limits);
    return counts;
  }

  return {
    /** D8: raises the reminders due by `asOf` for one shop or every shop (null); a dry run counts them. */
    async remindDue(run: { shopId: string | null; asOf: Date; dryRun: boolean }, limits: SweepLimits = REMIND_SWEEP): Promise<ReminderCounts> {
      const shops = run.shopId ? [run.shopId] : await allShopIds(reader(db));
      const total = { reminded: 0, points: 0 };
      for (const shop of shops) {
        const counts = await remindShop(shop, run.asOf, run.dryRun, limits);
        total.reminded += counts.reminded;
        total.points += counts.points;
      }
      return total;
    },
  };
}
