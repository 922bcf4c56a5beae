import type { Tx } from '../../db/tx.ts';
import { lotExpiry } from '../earning/expiry-rules.ts';
import { post, type Posting } from '../ledger/posting.ts';
import type { Member } from '../members/member-types.ts';
import type { ProgramSettings } from '../program/program-types.ts';
import { bonusRow, findBonus } from './bonus-repo.ts';
import type { Bonus, BonusAward } from './bonus-types.ts';

/** Who gives the bonuses Lojal gives by itself (sign-up, referral, feedback); birthdays are the job's. */
export const SYSTEM_ACTOR = 'system';

/** A bonus given now, or (`duplicate`) the one given before for the same member, kind and reference. */
export interface Awarded {
  bonus: Bonus;
  /** The member as the award left it (locked in the award's transaction). */
  member: Member;
  duplicate: boolean;
}

/**
 * Gives `award` to a member whose row `tx` has locked, unless the member has that bonus already (D11: once per
 * member, kind and reference; the lock makes a second award wait and then find the first). One posting of kind
 * `bonus` into `available`, as a lot expiring as a matured award's would (D8), with the bonus row in its statement.
 */
export async function giveLocked(tx: Tx, member: Member, award: BonusAward, settings: ProgramSettings, now: Date): Promise<Awarded> {
  const existing = await findBonus(tx, member.shopId, member.id, award.kind, award.reference);
  if (existing) return { bonus: existing, member, duplicate: true };
  return credit(tx, member, award, settings, now);
}

/**
 * The posting of a bonus: kind `bonus` into `available`, as a lot expiring as a matured award's would (D8), with
 * the bonus row in its statement.
 */
export function bonusPosting(award: BonusAward, settings: ProgramSettings, now: Date): Posting {
  return {
    move: { kind: 'bonus', from: null, to: 'available', points: award.points },
    actor: award.actor,
    reference: award.reference,
    // The activity shows the kind (views.ts: bonusKind); the entry carries it, so no read of the bonuses table.
    metadata: { bonusKind: award.kind },
    lotExpiresAt: lotExpiry(settings.expiry, now),
    attach: bonusRow(award),
  };
}

/** Credits `award` without looking for an earlier one (the caller did, under the member's lock). */
export async function credit(tx: Tx, member: Member, award: BonusAward, settings: ProgramSettings, now: Date): Promise<Awarded> {
  const posted = await post(tx, member, bonusPosting(award, settings, now), now);
  return { bonus: { memberId: member.id, ...award, entryId: posted.entry.id, createdAt: now }, member: posted.member, duplicate: false };
}

