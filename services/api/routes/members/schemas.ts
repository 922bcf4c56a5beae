import { Type } from 'typebox';
import { API_BONUS_KINDS, BONUS_KINDS } from '../../../core/bonuses/bonus-types.ts';
import { FEEDBACK_COMMENT_MAX } from '../../../core/feedback/feedback-rules.ts';
import { MAX_AMOUNT } from '../../../core/common/money.ts';
import { Birthday, ExternalId, Timestamp } from '../../schemas.ts';
import { OrderView } from '../orders/views.ts';
import { TierView } from '../tiers/schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const CustomerParams = Type.Object({
  customerId: ExternalId({ description: "The shop's own customer id" }),
});

export const PutMemberBody = Type.Object({
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 320 }))),
  emailVerified: Type.Optional(Type.Boolean({ default: false })),
  firstName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  lastName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  locale: Type.Optional(Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$', default: 'en', examples: ['pl'] })),
  birthday: Type.Optional(Nullable(Birthday)),
  marketingConsent: Type.Optional(Type.Boolean({ default: false })),
  referredBy: Type.Optional(Nullable(ExternalId({ description: 'Customer id of the referrer' }))),
});

const Balance = Type.Object({ available: Type.Integer(), pending: Type.Integer(), held: Type.Integer() });
const Lifetime = Type.Object({ earned: Type.Integer(), redeemed: Type.Integer(), expired: Type.Integer() });

export const MemberView = Type.Object({
  customerId: Type.String(),
  email: Nullable(Type.String()),
  emailVerified: Type.Boolean(),
  firstName: Nullable(Type.String()),
  lastName: Nullable(Type.String()),
  locale: Type.String(),
  birthday: Nullable(Type.String({ format: 'date' })),
  marketingConsent: Type.Boolean(),
  referredBy: Nullable(Type.String()),
  tier: Type.Union([TierView, Type.Null()], { description: 'null while the shop has no tiers' }),
  balance: Balance,
  lifetime: Lifetime,
  expiring: Type.Array(Type.Object({ points: Type.Integer(), at: Timestamp }), { description: 'Soonest first' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const EntryView = Type.Object({
  id: Type.String(),
  kind: Type.String({ examples: ['adjust'] }),
  points: Type.Integer({ description: 'Signed change of `bucket` (0 for a write-off, which moves nothing)' }),
  bucket: Type.String({ enum: ['pending', 'available', 'held', 'none'] }),
  fromBucket: Nullable(Type.String()),
  toBucket: Nullable(Type.String()),
  orderId: Type.Optional(Type.String()),
  refundId: Type.Optional(Type.String()),
  redemptionId: Type.Optional(Type.String()),
  reference: Type.Optional(Type.String()),
  bonusKind: Type.Optional(Type.String({ enum: [...BONUS_KINDS], description: 'For a `bonus` entry: what the bonus was for (D11)' })),
  reason: Type.Optional(Type.String()),
  by: Type.Optional(Type.String({ description: 'For an `adjust` entry: who in the shop made it, when the adjustment said' })),
  expiresAt: Type.Optional(Timestamp),
  actor: Type.String({ description: 'Who caused it: an API key id, operator, system or a job' }),
  createdAt: Timestamp,
});

export const ActivityQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
});

export const ActivityPage = Type.Object({ data: Type.Array(EntryView), nextCursor: Nullable(Type.String()) });

export const AdjustmentBody = Type.Object({
  points: Type.Integer({ minimum: -MAX_AMOUNT, maximum: MAX_AMOUNT, not: { const: 0 }, description: 'Credit (> 0) or debit (< 0)' }),
  reason: Type.String({ minLength: 1, maxLength: 500 }),
  expiresAt: Type.Optional(Timestamp),
  allowNegative: Type.Optional(Type.Boolean({ default: false, description: 'Let a debit leave the balance in debt' })),
  by: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "Who in the shop made it (an admin user's name), recorded with the entry beside the key that sent it; for the shop's eyes, not the customer's" })),
});

export const ExportView = Type.Object({
  member: Type.Object({}, { additionalProperties: true }),
  entries: Type.Array(Type.Object({}, { additionalProperties: true })),
  lots: Type.Array(Type.Object({}, { additionalProperties: true })),
  orders: Type.Array(OrderView, {
    description: "The member's orders, oldest first, with award, refunds and status; also its verified e-mail's unclaimed guest orders (D10)",
  }),
  exportedAt: Timestamp,
});

export const BonusBody = Type.Object({
  kind: Type.String({ enum: [...API_BONUS_KINDS], description: 'What the bonus is for; `custom` must name its points' }),
  reference: ExternalId({ description: 'What makes it once: a member gets one bonus per kind and reference (a review id, a campaign name); 1 to 128 characters' }),
  points: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AMOUNT, description: "Default: the program's `bonuses[kind]`" })),
});

export const BonusView = Type.Object({
  kind: Type.String({ enum: [...BONUS_KINDS] }),
  reference: Type.String(),
  points: Type.Integer(),
  entryId: Type.String({ description: 'The `bonus` entry that credited it' }),
  createdAt: Timestamp,
  duplicate: Type.Boolean({ description: 'true: given before for this kind and reference; this is that bonus, and nothing was given now' }),
  balance: Balance,
});

export const FeedbackBody = Type.Object({
  orderId: ExternalId({ description: "One of the member's orders" }),
  score: Type.Integer({ minimum: 0, maximum: 10, description: 'How likely the member is to recommend the shop, 0 to 10' }),
  comment: Type.Optional(Type.String({ maxLength: FEEDBACK_COMMENT_MAX * 2, description: `At most ${FEEDBACK_COMMENT_MAX} characters (trimmed)` })),
});

export const FeedbackView = Type.Object({
  orderId: Type.String(),
  score: Type.Integer(),
  comment: Nullable(Type.String()),
  answeredAt: Timestamp,
  bonus: Nullable(Type.Object({ points: Type.Integer(), entryId: Type.String() }, { description: "The points for the answer (`bonuses.feedback`); null when the program gives none" })),
});
