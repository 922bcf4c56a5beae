import { createHmac } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx, type Tx } from '../../db/tx.ts';
import { allEntries, listEntries } from '../ledger/entry-repo.ts';
import type { Entry } from '../ledger/ledger-types.ts';
import { expiringPoints, memberLots } from '../ledger/lot-repo.ts';
import { raiseEvents } from '../outbox/outbox-repo.ts';
import { eraseCustomer as eraseDeliveryCustomer } from '../webhooks/webhook-delivery-repo.ts';
import { eraseComments as eraseFeedbackComments } from '../feedback/feedback-repo.ts';
import { eraseNotes as eraseTierNotes } from '../tiers/tier-repo.ts';
import { eraseResponses } from '../idempotency/idempotency-repo.ts';
import { eraseCustomer as eraseOrderCustomer } from '../orders/order-repo.ts';
import type { OrderDetail } from '../orders/order-service.ts';
import { eraseCustomer as eraseRedemptionCustomer } from '../redemptions/redemption-repo.ts';
import type { Clock } from '../common/clock.ts';
import { notFound, validationFailed } from '../common/errors.ts';
import { newId } from '../common/ids.ts';
import * as repo from './member-repo.ts';
import { normaliseProfile, validateProfile, type ProfileInput } from './member-rules.ts';
import type { Member, Profile } from './member-types.ts';

export type MemberService = ReturnType<typeof createMemberService>;

export interface MemberPage {
  data: Entry[];
  nextCursor: string | null;
}

interface Deps {
  database: Database;
  clock: Clock;
  secretKey: Buffer;
  /** D10: attaches the guest orders a member's verified e-mail claims (orders/order-service.ts). */
  claimGuestOrders: (tx: Tx, member: Member) => Promise<number>;
  /** D19: the member's orders for its export (orders/order-service.ts). */
  ordersOf: (shopId: string, member: Member) => Promise<OrderDetail[]>;
  /** D11: what a member's creation brings (the sign-up bonus), in its transaction; returns the member after it. */
  memberCreated: (tx: Tx, member: Member) => Promise<Member>;
}

export function createMemberService({ database, clock, secretKey, claimGuestOrders, ordersOf, memberCreated }: Deps) {
  const { db } = database;

  async function mustFind(shopId: string, customerId: string): Promise<Member> {
    const member = await repo.findMember(reader(db), shopId, customerId);
    if (!member) throw notFound('Member');
    return member;
  }

  return {
    /** Throws not_found. */
    get: mustFind,

    /**
     * `PUT /v1/members` and `customer.upserted`: creates the member (with its sign-up bonus, D11) or replaces its
     * profile (a referrer once set stays), then attaches the guest orders its verified e-mail claims (D10), in one
     * transaction (`tx`, the caller's). Throws validation_failed (a birthday, a member referring itself).
     */
    async upsert(shopId: string, customerId: string, input: ProfileInput, tx?: Tx): Promise<{ member: Member; created: boolean }> {
      const profile = normaliseProfile(input);
      validateProfile(profile, clock.now(), customerId);
      const run = (t: Tx) => saveProfile(t, { clock, claimGuestOrders, memberCreated }, shopId, customerId, profile);
      return tx ? run(tx) : withTx(db, run);
    },

    expiring: (member: Member, limit = 5) => expiringPoints(reader(db), member.shopId, member.id, limit),

    /** Newest first; `cursor` is the opaque `nextCursor` of the previous page. Throws not_found, validation_failed. */
    async activity(shopId: string, customerId: string, limit: number, cursor: string | null): Promise<MemberPage> {
      const member = await mustFind(shopId, customerId);
      const beforeSeq = cursor === null ? null : decodeCursor(cursor);
      const rows = await listEntries(reader(db), shopId, member.id, limit + 1, beforeSeq);
      const data = rows.slice(0, limit);
      const last = data[data.length - 1];
      return { data, nextCursor: rows.length > limit && last?.seq ? encodeCursor(last.seq) : null };
    },

    /** D19: the member, every entry, every lot and its orders, as JSON. Throws not_found. */
    async export(shopId: string, customerId: string) {
      const member = await mustFind(shopId, customerId);
      const [entries, lots, orders] = await Promise.all([
        allEntries(reader(db), shopId, member.id),
        memberLots(reader(db), shopId, member.id),
        ordersOf(shopId, member),
      ]);
      return { member, entries, lots, orders, exportedAt: clock.now() };
    },

    /**
     * D19: removes the personal data wherever it is kept, in one transaction: the profile, the customer id (a
     * pseudonym instead) on the member, its orders and redemptions, and the stored responses that named it. The
     * entries, lots and balances stay, so the liability and the audit trail stay correct (docs/ledger.md says what
     * goes and what stays). Throws not_found.
     */
    async erase(shopId: string, customerId: string): Promise<void> {
      const now = clock.now();
      await withTx(db, async (tx) => {
        const member = await repo.lockMember(tx, shopId, customerId);
        if (!member) throw notFound('Member');
        await eraseEverywhere(tx, member, pseudonym(secretKey, member), now);
      });
    },
  };
}

/** The upsert's work in its transaction: the profile saved, the sign-up bonus of a new member, the guest orders claimed. */
async function saveProfile(
  t: Tx,
  { clock, claimGuestOrders, memberCreated }: Pick<Deps, 'clock' | 'claimGuestOrders' | 'memberCreated'>,
  shopId: string,
  customerId: string,
  profile: Profile,
): Promise<{ member: Member; created: boolean }> {
  const now = clock.now();
  const saved = await repo.insertMember(t, { shopId, id: newId('mem', now.getTime()), customerId, profile, now }, 'update');
  // D11: the insert locked the row it made: the sign-up bonus posts under that lock.
  const result = saved.created ? { member: await memberCreated(t, saved.member), created: true } : saved;
  // D10: the claim posts the guest orders' points; the answer shows the member as the claim left it.
  if ((await claimGuestOrders(t, result.member)) === 0) return result;
  return { member: (await repo.findMember(t, shopId, customerId)) ?? result.member, created: result.created };
}

/** D19: every table that keeps the member's personal data, each through its own repository. */
async function eraseEverywhere(tx: Tx, member: Member, alias: string, now: Date): Promise<void> {
  await eraseOrderCustomer(tx, member.shopId, member, alias, now);
  await eraseRedemptionCustomer(tx, member.shopId, member.id, alias);
  await eraseResponses(tx, member.shopId, member);
  await eraseDeliveryCustomer(tx, member.shopId, member.id, member.customerId);
  await eraseFeedbackComments(tx, member.shopId, member.id);
  await eraseTierNotes(tx, member.shopId, member.id);
  await repo.erasePersonalData(tx, member, alias, now);
  // D16: the shop hears of it (its webhook receives member.erased, with no customer id: the member has none now).
  await raiseEvents(tx, [{ shopId: member.shopId, type: 'member.erased', memberId: member.id, data: {}, at: now }]);
}

/**
 * D19: one pseudonym per member, made from the member's own id, never from the customer id: a customer who joins
 * again and is erased again gets another one (the customer id stays unique per shop), and nothing in it leads back
 * to the customer id.
 */
function pseudonym(key: Buffer, member: Member): string {
  return `erased_${createHmac('sha256', key).update(`${member.shopId}\u0000${member.id}`).digest('base64url').slice(0, 22)}`;
}

function encodeCursor(seq: number): string {
  return Buffer.from(`s${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^s(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  // The decoder skips what is not base64url: only the cursor exactly as given out is one.
  if (!match || encodeCursor(Number(match[1])) !== cursor) throw validationFailed([{ field: 'query/cursor', message: 'is not a cursor this API gave out' }]);
  return Number(match[1]);
}
