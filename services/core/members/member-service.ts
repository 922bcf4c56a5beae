import { createHmac } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx, type Tx } from '../../db/tx.ts';
import { allEntries, listEntries } from '../ledger/entry-repo.ts';
import type { Entry } from '../ledger/ledger-types.ts';
import { expiringPoints, memberLots } from '../ledger/lot-repo.ts';
import type { Clock } from '../shared/clock.ts';
import { notFound, validationFailed } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import * as repo from './member-repo.ts';
import { normaliseProfile, validateProfile, type ProfileInput } from './member-rules.ts';
import type { Member } from './member-types.ts';

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
}

export function createMemberService({ database, clock, secretKey, claimGuestOrders }: Deps) {
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
     * `PUT /v1/members` and `customer.upserted`: creates the member or replaces its profile, then attaches the
     * guest orders its verified e-mail claims (D10), in one transaction (`tx`, the caller's). Throws validation_failed.
     */
    async upsert(shopId: string, customerId: string, input: ProfileInput, tx?: Tx): Promise<{ member: Member; created: boolean }> {
      const profile = normaliseProfile(input);
      validateProfile(profile, clock.now());
      const run = async (t: Tx) => {
        const now = clock.now();
        const result = await repo.insertMember(t, { shopId, id: newId('mem', now.getTime()), customerId, profile, now }, 'update');
        await claimGuestOrders(t, result.member);
        return result;
      };
      return tx ? run(tx) : withTx(db, run);
    },

    async expiring(member: Member, limit = 5) {
      return expiringPoints(reader(db), member.shopId, member.id, limit);
    },

    /** Newest first; `cursor` is the opaque `nextCursor` of the previous page. Throws not_found, validation_failed. */
    async activity(shopId: string, customerId: string, limit: number, cursor: string | null): Promise<MemberPage> {
      const member = await mustFind(shopId, customerId);
      const beforeSeq = cursor === null ? null : decodeCursor(cursor);
      const rows = await listEntries(reader(db), shopId, member.id, limit + 1, beforeSeq);
      const data = rows.slice(0, limit);
      const last = data[data.length - 1];
      return { data, nextCursor: rows.length > limit && last?.seq ? encodeCursor(last.seq) : null };
    },

    /** D19: the member, every entry and every lot, as JSON. Throws not_found. */
    async export(shopId: string, customerId: string) {
      const member = await mustFind(shopId, customerId);
      const [entries, lots] = await Promise.all([allEntries(reader(db), shopId, member.id), memberLots(reader(db), shopId, member.id)]);
      return { member, entries, lots, exportedAt: clock.now() };
    },

    /**
     * D19: removes e-mail, names and birthday and replaces the customer id with a stable pseudonym; the entries
     * and balances stay, so the liability and the audit trail stay correct. Throws not_found.
     */
    async erase(shopId: string, customerId: string): Promise<void> {
      const now = clock.now();
      await withTx(db, async (tx) => {
        const member = await repo.lockMember(tx, shopId, customerId);
        if (!member) throw notFound('Member');
        await repo.erasePersonalData(tx, member, pseudonym(secretKey, shopId, customerId), now);
      });
    },
  };
}

/** The same customer id in the same shop always gets the same pseudonym; it cannot be turned back. */
function pseudonym(key: Buffer, shopId: string, customerId: string): string {
  return `erased_${createHmac('sha256', key).update(`${shopId}\u0000${customerId}`).digest('base64url').slice(0, 22)}`;
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
