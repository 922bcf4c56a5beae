import type { Database } from '../../db/client.ts';
import type { Tx } from '../../db/tx.ts';
import type { Clock } from '../common/clock.ts';
import type { PostingRunner } from '../ledger/posting-runner.ts';
import type { Member } from '../members/member-types.ts';
import type { OrderLedger } from '../orders/order-ledger.ts';
import type { ProgramService } from '../program/program-service.ts';
import { createBirthdays } from './bonus-birthdays.ts';
import { credit, giveLocked, SYSTEM_ACTOR, type Awarded } from './bonus-ledger.ts';
import { createReferrals } from './bonus-referrals.ts';
import { findBonus } from './bonus-repo.ts';
import { bonusNotConfigured, bonusPoints, requirePoints, SIGNUP_REFERENCE } from './bonus-rules.ts';
import type { ApiBonusKind, Bonus } from './bonus-types.ts';

export type BonusService = ReturnType<typeof createBonusService>;
export type { Awarded } from './bonus-ledger.ts';

export interface BonusDeps {
  database: Database;
  clock: Clock;
  program: ProgramService;
  postings: PostingRunner;
  /** The order postings' locked members: a referral locks the referrer through it (D11). */
  orderLedger: OrderLedger;
}

/** D11 bonuses: the shop's (review, custom...), sign-up, referral, feedback (D14) and birthdays (the job). */
export function createBonusService(deps: BonusDeps) {
  const { clock, program, postings } = deps;

  /** The program's amount of a kind, with the settings, read in `tx`; points 0: the program gives none. */
  async function amountOf(tx: Tx, shopId: string, kind: 'signup' | 'referral' | 'feedback') {
    const settings = await program.get(shopId, tx);
    return { settings, points: settings.bonuses[kind] };
  }

  return {
    /**
     * `POST /v1/members/{customerId}/bonuses`: gives the bonus once per (member, kind, reference); a second call
     * answers the first (`duplicate`), whatever points it names. Points default to the program's amount for the
     * kind. Throws validation_failed (custom without points), not_found, bonus_not_configured (worth 0),
     * out_of_range.
     */
    award(shopId: string, customerId: string, input: { kind: ApiBonusKind; reference: string; points?: number }, actor: string): Promise<Awarded> {
      requirePoints(input.kind, input.points);
      return postings.withMember(shopId, customerId, async (tx, member, now) => {
        const existing = await findBonus(tx, shopId, member.id, input.kind, input.reference);
        if (existing) return { bonus: existing, member, duplicate: true };
        const settings = await program.get(shopId, tx);
        const points = bonusPoints(input.kind, settings.bonuses, input.points);
        if (points <= 0) throw bonusNotConfigured(input.kind);
        return credit(tx, member, { kind: input.kind, reference: input.reference, points, actor }, settings, now);
      });
    },

    /** D11 sign-up: in the transaction that created the member (locked by its insert). Returns the member after it. */
    async signupIn(tx: Tx, member: Member): Promise<Member> {
      const { settings, points } = await amountOf(tx, member.shopId, 'signup');
      if (points <= 0) return member;
      return (await giveLocked(tx, member, { kind: 'signup', reference: SIGNUP_REFERENCE, points, actor: SYSTEM_ACTOR }, settings, clock.now())).member;
    },

    /** D14: the points for an answer, once per order, in the answer's transaction (the member locked). */
    async feedbackIn(tx: Tx, member: Member, orderId: string): Promise<Bonus | null> {
      const { settings, points } = await amountOf(tx, member.shopId, 'feedback');
      if (points <= 0) return null;
      return (await giveLocked(tx, member, { kind: 'feedback', reference: orderId, points, actor: SYSTEM_ACTOR }, settings, clock.now())).bonus;
    },


    ...createReferrals(deps),

    ...createBirthdays(deps),
  };
}
