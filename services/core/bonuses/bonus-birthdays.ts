import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx } from '../../db/tx.ts';
import type { Clock } from '../common/clock.ts';
import { sweepInChunks, type SweepLimits } from '../common/sweep.ts';
import { safeZone } from '../mail/mail-locale.ts';
import { lockMemberById } from '../members/member-repo.ts';
import type { ProgramService } from '../program/program-service.ts';
import type { ProgramSettings } from '../program/program-types.ts';
import { findShop } from '../shops/shop-repo.ts';
import { giveLocked } from './bonus-ledger.ts';
import { countCelebrating, membersCelebrating, shopsGivingBirthdayBonus } from './bonus-repo.ts';
import { birthdayDay, birthdayReference, isBirthday } from './bonus-rules.ts';
import type { BirthdayDay } from './bonus-types.ts';

/** Members per chunk (each given its bonus in a transaction of its own) and chunks per run. */
export const BIRTHDAY_SWEEP: SweepLimits = { chunk: 500, maxChunks: 200 };

export interface BirthdayCounts {
  /** Members given their birthday bonus (one `bonus` entry each). */
  awarded: number;
  points: number;
}

/** The bonus's actor: the job that gives it. */
const ACTOR = 'birthdays';

/**
 * D11 birthdays: the `birthdays` job. For a shop whose program gives `bonuses.birthday`, the members whose birthday
 * is the shop's calendar day at `asOf` (its time zone; 29 February on 28 February of a year without one), not
 * erased, get the bonus once that year (reference: the year). The members come a chunk at a time from the
 * members_birthday index, in id order; each is given its bonus under its row lock, so runs that overlap give it
 * once. A dry run counts exactly the members a run would give it, writing nothing.
 */
export function createBirthdays({ database, clock, program }: { database: Database; clock: Clock; program: ProgramService }) {
  const { db } = database;

  /** One member's bonus, in its own transaction: true when given now (not before, and still its birthday). */
  function celebrate(shopId: string, memberId: string, day: BirthdayDay, settings: ProgramSettings): Promise<boolean> {
    return withTx(db, async (tx) => {
      const member = await lockMemberById(tx, shopId, memberId);
      if (!member || member.erasedAt || !isBirthday(member.birthday, day)) return false;
      const award = { kind: 'birthday' as const, reference: birthdayReference(day), points: settings.bonuses.birthday, actor: ACTOR };
      return !(await giveLocked(tx, member, award, settings, clock.now())).duplicate;
    });
  }

  async function shopRun(shopId: string, asOf: Date, dryRun: boolean, limits: SweepLimits): Promise<BirthdayCounts> {
    const counts = { awarded: 0, points: 0 };
    const settings = await program.get(shopId);
    const shop = await findShop(reader(db), shopId);
    if (settings.bonuses.birthday <= 0 || !shop) return counts;
    const day = birthdayDay(asOf, safeZone(shop.timezone));
    if (dryRun) {
      counts.awarded = await countCelebrating(reader(db), shopId, day, limits.chunk * limits.maxChunks);
      counts.points = counts.awarded * settings.bonuses.birthday;
      return counts;
    }
    let after = '';
    await sweepInChunks(async (limit) => {
      const ids = await membersCelebrating(reader(db), shopId, day, after, limit);
      for (const id of ids) {
        if (!(await celebrate(shopId, id, day, settings))) continue;
        counts.awarded++;
        counts.points += settings.bonuses.birthday;
      }
      after = ids.at(-1) ?? after;
      return ids.length;
    }, limits);
    return counts;
  }

  return {
    /** D11: the birthday bonuses due on the day of `asOf`, for one shop or every shop that gives them (null). */
    async birthdaysDue(shopId: string | null, asOf: Date, dryRun = false, limits: SweepLimits = BIRTHDAY_SWEEP): Promise<BirthdayCounts> {
      const shops = shopId ? [shopId] : await shopsGivingBirthdayBonus(reader(db));
      const total = { awarded: 0, points: 0 };
      for (const shop of shops) {
        const counts = await shopRun(shop, asOf, dryRun, limits);
        total.awarded += counts.awarded;
        total.points += counts.points;
      }
      return total;
    },
  };
}
