import { and, eq, isNull } from 'drizzle-orm';
import { members } from '../../db/schema/index.ts';
import { dateOrNull, namedQuery } from '../../db/raw.ts';
import type { Executor } from '../../db/tx.ts';
import type { Member, Profile } from './member-types.ts';

type Row = typeof members.$inferSelect;

export function toMember(row: Row): Member {
  return {
    shopId: row.shopId,
    id: row.id,
    customerId: row.customerId,
    email: row.email,
    emailVerified: row.emailVerified,
    firstName: row.firstName,
    lastName: row.lastName,
    locale: row.locale,
    birthday: row.birthday,
    marketingConsent: row.marketingConsent,
    referredBy: row.referredBy,
    balance: { pending: row.pending, available: row.available, held: row.held },
    lifetime: { earned: row.lifetimeEarned, redeemed: row.lifetimeRedeemed, expired: row.lifetimeExpired },
    version: row.version,
    lastActivityAt: row.lastActivityAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    erasedAt: row.erasedAt,
  };
}

const byCustomer = (shopId: string, customerId: string) =>
  and(eq(members.shopId, shopId), eq(members.customerId, customerId), isNull(members.erasedAt));

export async function findMember(tx: Executor, shopId: string, customerId: string): Promise<Member | null> {
  const rows = await tx.select().from(members).where(byCustomer(shopId, customerId)).limit(1);
  return rows[0] ? toMember(rows[0]) : null;
}

/** Locks the member's row for the rest of the transaction: every balance change goes through this lock (D13). */
export async function lockMember(tx: Executor, shopId: string, customerId: string): Promise<Member | null> {
  const rows = await namedQuery(tx, 'lojal_lock_member', `
    SELECT * FROM members WHERE shop_id = $1 AND customer_id = $2 AND erased_at IS NULL LIMIT 1 FOR UPDATE`, [shopId, customerId]);
  return rows[0] ? memberFromRow(rows[0]) : null;
}

export async function lockMemberById(tx: Executor, shopId: string, memberId: string): Promise<Member | null> {
  const rows = await namedQuery(tx, 'lojal_lock_member_by_id', `
    SELECT * FROM members WHERE shop_id = $1 AND id = $2 FOR UPDATE`, [shopId, memberId]);
  return rows[0] ? memberFromRow(rows[0]) : null;
}

/** Inserts a member or changes its profile; returns the member and whether it was new. */
export async function upsertProfile(
  tx: Executor,
  shopId: string,
  customerId: string,
  id: string,
  profile: Profile,
  now: Date,
): Promise<{ member: Member; created: boolean }> {
  const rows = await tx
    .insert(members)
    .values({ shopId, id, customerId, ...profile, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [members.shopId, members.customerId],
      set: { ...profile, updatedAt: now },
    })
    .returning();
  const row = rows[0]!;
  return { member: toMember(row), created: row.id === id };
}

/** D19: the personal data goes; the balances and the ledger stay, under a pseudonymous customer id. */
export async function erasePersonalData(
  tx: Executor,
  member: Member,
  pseudonym: string,
  now: Date,
): Promise<void> {
  await tx
    .update(members)
    .set({
      customerId: pseudonym,
      email: null,
      firstName: null,
      lastName: null,
      birthday: null,
      referredBy: null,
      marketingConsent: false,
      emailVerified: false,
      erasedAt: now,
      updatedAt: now,
    })
    .where(and(eq(members.shopId, member.shopId), eq(members.id, member.id)));
}

/** Creates the member if the shop has none with this customer id; an existing profile is left alone. */
export async function insertMemberIfMissing(
  tx: Executor,
  shopId: string,
  customerId: string,
  id: string,
  profile: Profile,
  now: Date,
): Promise<{ member: Member; created: boolean }> {
  const inserted = await tx
    .insert(members)
    .values({ shopId, id, customerId, ...profile, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return { member: toMember(inserted[0]), created: true };
  const existing = await findMember(tx, shopId, customerId);
  return { member: existing!, created: false };
}

/** A member row as PostgreSQL returns it (snake_case; dates as Date or text, as the caller's parsers give them). */
export function memberFromRow(r: Record<string, unknown>): Member {
  return {
    shopId: r.shop_id as string,
    id: r.id as string,
    customerId: r.customer_id as string,
    email: r.email as string | null,
    emailVerified: r.email_verified as boolean,
    firstName: r.first_name as string | null,
    lastName: r.last_name as string | null,
    locale: r.locale as string,
    birthday: r.birthday === null ? null : isoDay(r.birthday),
    marketingConsent: r.marketing_consent as boolean,
    referredBy: r.referred_by as string | null,
    balance: { pending: r.pending as number, available: r.available as number, held: r.held as number },
    lifetime: { earned: r.lifetime_earned as number, redeemed: r.lifetime_redeemed as number, expired: r.lifetime_expired as number },
    version: r.version as number,
    lastActivityAt: dateOrNull(r.last_activity_at),
    createdAt: dateOrNull(r.created_at)!,
    updatedAt: dateOrNull(r.updated_at)!,
    erasedAt: dateOrNull(r.erased_at),
  };
}

/** pg returns a DATE as a local-midnight Date; a birthday is the calendar day itself. */
function isoDay(value: unknown): string {
  if (!(value instanceof Date)) return String(value).slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}
