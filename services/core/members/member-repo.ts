import { dateOrNull, param, query, sql, type Fragment } from '../../db/sql.ts';
import type { Executor } from '../../db/tx.ts';
import type { Member, Profile } from './member-types.ts';

/** The members table: profiles and balances (D13). Balances are written only by postings (`balanceUpdate`). */

export async function findMember(tx: Executor, shopId: string, customerId: string): Promise<Member | null> {
  const rows = await query(tx, sql`
    SELECT * FROM members WHERE shop_id = ${shopId} AND customer_id = ${customerId} AND erased_at IS NULL LIMIT 1`);
  return rows[0] ? memberFromRow(rows[0]) : null;
}

/** The member by Lojal's id, erased or not (the mail a member is sent reads it when it goes: D17). */
export async function findMemberById(tx: Executor, shopId: string, memberId: string): Promise<Member | null> {
  const rows = await query(tx, sql`SELECT * FROM members WHERE shop_id = ${shopId} AND id = ${memberId}`);
  return rows[0] ? memberFromRow(rows[0]) : null;
}

/**
 * Several members of one shop by Lojal's ids, erased or not, in one round trip (the mail of a group of relayed
 * events). Each by its key (LATERAL … LIMIT 1): planned as `id = ANY(…)`, PostgreSQL read all of the shop's members
 * by `shop_id` on a never-analyzed table (docs/operations.md, query plans).
 */
export async function findMembersByIds(tx: Executor, shopId: string, memberIds: string[]): Promise<Member[]> {
  if (memberIds.length === 0) return [];
  const rows = await query(tx, sql`
    SELECT m.* FROM unnest(${param(memberIds, 'text[]')}) AS k(id)
      CROSS JOIN LATERAL (SELECT * FROM members WHERE shop_id = ${shopId} AND id = k.id LIMIT 1) m`);
  return rows.map(memberFromRow);
}

/** Locks the member's row for the rest of the transaction: every balance change goes through this lock (D13). */
export async function lockMember(tx: Executor, shopId: string, customerId: string): Promise<Member | null> {
  const rows = await query(tx, sql`
    SELECT * FROM members WHERE shop_id = ${shopId} AND customer_id = ${customerId} AND erased_at IS NULL LIMIT 1 FOR UPDATE`);
  return rows[0] ? memberFromRow(rows[0]) : null;
}

export async function lockMemberById(tx: Executor, shopId: string, memberId: string): Promise<Member | null> {
  const rows = await query(tx, sql`SELECT * FROM members WHERE shop_id = ${shopId} AND id = ${memberId} FOR UPDATE`);
  return rows[0] ? memberFromRow(rows[0]) : null;
}

function profileValues(p: Profile): Fragment {
  return sql`${p.email}, ${p.emailVerified}, ${p.firstName}, ${p.lastName}, ${p.locale}, ${param(p.birthday, 'date')},
             ${p.marketingConsent}, ${p.referredBy}`;
}

const PROFILE_COLUMNS = sql`email, email_verified, first_name, last_name, locale, birthday, marketing_consent, referred_by`;

/** The columns of a member created by its first posting, with that posting's balances (balanceWrites, memberInsert). */
const CREATED_WITH_BALANCES = sql`shop_id, id, customer_id, ${PROFILE_COLUMNS}, pending, available, held, lifetime_earned,
  lifetime_redeemed, lifetime_expired, last_activity_at, version, created_at, updated_at`;

/**
 * Inserts the member (`onConflict` 'update': or changes its profile; 'keep': or leaves the existing one alone).
 * D11: a member's referrer, once set, stays: an update sets `referred_by` only where it is still null.
 * Returns the member and whether this call created it.
 */
export async function insertMember(
  tx: Executor,
  member: { shopId: string; id: string; customerId: string; profile: Profile; now: Date },
  onConflict: 'update' | 'keep',
): Promise<{ member: Member; created: boolean }> {
  const { shopId, id, customerId, profile, now } = member;
  const at = param(now, 'timestamptz');
  const conflict = onConflict === 'update'
    ? sql`ON CONFLICT (shop_id, customer_id) WHERE customer_id IS NOT NULL
      DO UPDATE SET (${PROFILE_COLUMNS}, updated_at) = (
        EXCLUDED.email, EXCLUDED.email_verified, EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.locale,
        EXCLUDED.birthday, EXCLUDED.marketing_consent, coalesce(members.referred_by, EXCLUDED.referred_by), EXCLUDED.updated_at)`
    : sql`ON CONFLICT DO NOTHING`;
  // D16: a member this statement creates raises member.created in the same statement.
  const rows = await query(tx, sql`
    WITH saved AS (
      INSERT INTO members (shop_id, id, customer_id, ${PROFILE_COLUMNS}, created_at, updated_at)
      VALUES (${shopId}, ${param(id, 'text')}, ${customerId}, ${profileValues(profile)}, ${at}, ${at})
      ${conflict}
      RETURNING *
    ),
    created AS (
      INSERT INTO outbox (shop_id, type, member_id, occurred_at)
      SELECT shop_id, 'member.created', id, created_at FROM saved WHERE id = ${param(id, 'text')}
    )
    SELECT * FROM saved`);
  if (rows[0]) return { member: memberFromRow(rows[0]), created: rows[0].id === id };
  return { member: (await findMember(tx, shopId, customerId))!, created: false };
}

/**
 * Imports: creates the members of these customers that the shop does not have yet, with the e-mail given (not
 * verified) and the defaults for the rest, in customer-id order (two imports creating the same members wait for
 * each other instead of deadlocking), each raising member.created (D16) in the same statement. Returns how many
 * it created; the others exist already (or a concurrent import just made them).
 */
export async function insertAbsentMembers(
  tx: Executor,
  shopId: string,
  members: { id: string; customerId: string; email: string | null }[],
  now: Date,
): Promise<number> {
  if (members.length === 0) return 0;
  const shop = param(shopId, 'text');
  const at = param(now, 'timestamptz');
  const rows = await query<{ created: number }>(tx, sql`
    WITH saved AS (
      INSERT INTO members (shop_id, id, customer_id, email, created_at, updated_at)
      SELECT ${shop}, g.id, g.customer_id, g.email, ${at}, ${at}
        FROM unnest(${param(members.map((m) => m.id), 'text[]')}, ${param(members.map((m) => m.customerId), 'text[]')},
                    ${param(members.map((m) => m.email), 'text[]')}) AS g(id, customer_id, email)
       ORDER BY g.customer_id
      ON CONFLICT (shop_id, customer_id) WHERE customer_id IS NOT NULL DO NOTHING
      RETURNING id, created_at
    ),
    created AS (
      INSERT INTO outbox (shop_id, type, member_id, occurred_at)
      SELECT ${shop}, 'member.created', id, created_at FROM saved
    )
    SELECT count(*)::int AS created FROM saved`);
  return rows[0]?.created ?? 0;
}

/** Locks the live members of these customers, in id order (one order for every batch: no deadlock between them). */
export async function lockMembersByCustomer(tx: Executor, shopId: string, customerIds: string[]): Promise<Member[]> {
  if (customerIds.length === 0) return [];
  const rows = await query(tx, sql`
    SELECT * FROM members WHERE shop_id = ${shopId} AND customer_id = ANY(${param(customerIds, 'text[]')}) AND erased_at IS NULL
     ORDER BY id FOR UPDATE`);
  return rows.map(memberFromRow);
}

/**
 * D19: the personal data goes (the locale back to the default too); the balances and the ledger stay, under the
 * pseudonym. The version moves, so a posting planned on the member as it was finds nothing and goes the locked
 * way, where the old customer id is not found. Members who named this customer as their referrer name the
 * pseudonym instead.
 */
export async function erasePersonalData(tx: Executor, member: Member, pseudonym: string, now: Date): Promise<void> {
  const at = param(now, 'timestamptz');
  await query(tx, sql`
    UPDATE members SET customer_id = ${pseudonym}, email = NULL, first_name = NULL, last_name = NULL, birthday = NULL,
           referred_by = NULL, marketing_consent = false, email_verified = false, locale = 'en', erased_at = ${at},
           updated_at = ${at}, version = version + 1
     WHERE shop_id = ${member.shopId} AND id = ${member.id}`);
  await query(tx, sql`
    UPDATE members SET referred_by = ${pseudonym}, updated_at = ${at}
     WHERE shop_id = ${member.shopId} AND referred_by = ${member.customerId}`);
}

/**
 * D17: the member no longer wants marketing mail. Idempotent: a member already without consent keeps its
 * `updated_at`. Returns the member's locale (for the answer page), or null when there is no such member.
 */
export async function withdrawMarketingConsent(tx: Executor, shopId: string, memberId: string, now: Date): Promise<{ locale: string } | null> {
  const rows = await query(tx, sql`
    UPDATE members SET marketing_consent = false,
           updated_at = CASE WHEN marketing_consent THEN ${param(now, 'timestamptz')} ELSE updated_at END
     WHERE shop_id = ${shopId} AND id = ${memberId}
    RETURNING locale`);
  return rows[0] ? { locale: rows[0].locale as string } : null;
}

/** A posting's new balances for the member (see posting-repo.ts). */
export interface BalanceWrite {
  id: string;
  /** The version the posting was planned on; the write applies only if the row still has it. */
  version: number;
  pending: number;
  available: number;
  held: number;
  earned: number;
  redeemed: number;
  expired: number;
  lastActivityAt: Date | null;
  /** A member Lojal has not seen, created by this posting (its row's absence is the guard): its profile. */
  create?: { customerId: string; profile: Profile; at: Date };
}

/** The guarded balance update every posting hangs off, as the CTE `member`: no row when the version moved on. */
export function balanceUpdate(shop: unknown, m: BalanceWrite): Fragment {
  return sql`
  member AS (
    UPDATE members SET pending = ${m.pending}, available = ${m.available}, held = ${m.held},
           lifetime_earned = ${m.earned}, lifetime_redeemed = ${m.redeemed}, lifetime_expired = ${m.expired},
           last_activity_at = ${param(m.lastActivityAt, 'timestamptz')}, version = version + 1
     WHERE shop_id = ${shop} AND id = ${m.id} AND version = ${m.version}
    RETURNING id
  )`;
}

/**
 * Many postings' balance writes at once, from the rows of `w0` (group commit, orders/order-batch-repo.ts): as the
 * CTEs `updated` (a member updated from the version it was read at, `read_version`, each by its key through
 * lojal_balance_write, migration 0025: an UPDATE … FROM may be planned as a hash of the whole table), `created`
 * (one Lojal had not seen, inserted with its balances at version 1; a row that exists by then is left alone) and
 * `member` (both: the members whose guard held). Columns of `w0`: shop_id, member_id, read_version, the profile's, the balances
 * (pending … expired), last_activity_at, at.
 */
export function balanceWrites(): Fragment {
  return sql`
  updated AS MATERIALIZED (
    SELECT w0.shop_id, w0.member_id AS id FROM w0
     WHERE w0.read_version IS NOT NULL
       AND lojal_balance_write(w0.shop_id, w0.member_id, w0.read_version, w0.pending, w0.available, w0.held, w0.earned,
                               w0.redeemed, w0.expired, w0.last_activity_at)
  ),
  created AS (
    INSERT INTO members (${CREATED_WITH_BALANCES})
    SELECT shop_id, member_id, customer_id, email, email_verified, first_name, last_name, locale, birthday,
           marketing_consent, referred_by, pending, available, held, earned, redeemed, expired, last_activity_at, 1, at, at
      FROM w0 WHERE w0.read_version IS NULL
    ON CONFLICT DO NOTHING
    RETURNING shop_id, id, created_at
  ),
  member AS (SELECT shop_id, id FROM updated UNION ALL SELECT shop_id, id FROM created)`;
}

/**
 * The CTE `member` of a posting that creates its member (BalanceWrite.create): the row inserted with the posting's
 * balances at version 1, or none when the customer's member exists by then (the posting then writes nothing).
 */
export function memberInsert(shop: unknown, m: BalanceWrite & { create: NonNullable<BalanceWrite['create']> }): Fragment {
  const at = param(m.create.at, 'timestamptz');
  return sql`
  member AS (
    INSERT INTO members (${CREATED_WITH_BALANCES})
    VALUES (${shop}, ${param(m.id, 'text')}, ${m.create.customerId}, ${profileValues(m.create.profile)}, ${m.pending}, ${m.available},
           ${m.held}, ${m.earned}, ${m.redeemed}, ${m.expired}, ${param(m.lastActivityAt, 'timestamptz')}, 1, ${at}, ${at})
    ON CONFLICT DO NOTHING
    RETURNING id
  )`;
}

/** The live member with this customer id, as `m` (for reads that join the member's other rows). */
export function memberByCustomer(shop: unknown, customerId: unknown): Fragment {
  return sql`members m WHERE m.shop_id = ${shop} AND m.customer_id = ${customerId} AND m.erased_at IS NULL`;
}

/** A member row as PostgreSQL returns it (snake_case; dates as Date, or text from row_to_json): the one mapper. */
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
    birthday: r.birthday === null || r.birthday === undefined ? null : isoDay(r.birthday),
    marketingConsent: r.marketing_consent as boolean,
    referredBy: r.referred_by as string | null,
    balance: { pending: r.pending as number, available: r.available as number, held: r.held as number },
    lifetime: { earned: r.lifetime_earned as number, redeemed: r.lifetime_redeemed as number, expired: r.lifetime_expired as number },
    tier: {
      id: (r.tier_id as string | null) ?? null,
      since: dateOrNull(r.tier_since),
      reviewAt: dateOrNull(r.tier_review_at),
      heldUntil: dateOrNull(r.tier_held_until),
    },
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
