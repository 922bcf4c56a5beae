import type { Tx } from '../../db/tx.ts';
import type { Clock } from '../common/clock.ts';
import { hasEntryBefore } from '../ledger/entry-repo.ts';
import type { Posted } from '../ledger/posting.ts';
import { findMember } from '../members/member-repo.ts';
import type { Member } from '../members/member-types.ts';
import type { OrderLedger } from '../orders/order-ledger.ts';
import type { OrderRecord } from '../orders/order-types.ts';
import type { ProgramService } from '../program/program-service.ts';
import { giveLocked, SYSTEM_ACTOR } from './bonus-ledger.ts';
import { findBonus } from './bonus-repo.ts';
import { REFERRED_REFERENCE, referrerReference } from './bonus-rules.ts';

/** D11 referrals: paid from the order ledger, as its observer (container.ts wires it). */
export function createReferrals({ clock, program, orderLedger }: { clock: Clock; program: ProgramService; orderLedger: OrderLedger }) {
  /**
   * D11 referral, as an order ledger observer: when a referred member's first award matures (its first `mature`
   * entry), both it and its referrer (`referredBy`, a live member other than itself) get `bonuses.referral`. A
   * referrer unknown then, erased, or a program amount of 0 then: the referral lapses (later maturities are not
   * the first). The referred member is locked by the order; the referrer is locked second (see docs/bonuses.md on
   * the deadlock this can meet, which withTx retries).
   */
  async function onOrderPosting(tx: Tx, _order: OrderRecord, posted: Posted): Promise<Member | void> {
    const referred = posted.member;
    if (posted.entry.kind !== 'mature' || !referred.referredBy || referred.erasedAt) return;
    const shopId = referred.shopId;
    const settings = await program.get(shopId, tx);
    const points = settings.bonuses.referral;
    if (points <= 0 || (await findBonus(tx, shopId, referred.id, 'referral', REFERRED_REFERENCE))) return;
    if (await hasEntryBefore(tx, shopId, referred.id, 'mature', posted.entry.seq!)) return;
    const named = await findMember(tx, shopId, referred.referredBy);
    if (!named || named.id === referred.id) return;
    const referrer = await orderLedger.lockedMember(tx, shopId, named.id);
    if (referrer.erasedAt) return;
    const now = clock.now();
    const given = await giveLocked(tx, referred, { kind: 'referral', reference: REFERRED_REFERENCE, points, actor: SYSTEM_ACTOR }, settings, now);
    const paid = await giveLocked(tx, referrer, { kind: 'referral', reference: referrerReference(referred.id), points, actor: SYSTEM_ACTOR }, settings, now);
    orderLedger.remember(tx, paid.member);
    return given.member;
  }

  return { onOrderPosting };
}
