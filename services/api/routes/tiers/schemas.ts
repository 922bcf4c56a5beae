import { Type } from 'typebox';
import { MAX_TIERS } from '../../../core/tiers/tier-rules.ts';
import { Decimal, ExternalId, Timestamp } from '../../schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const Tier = Type.Object({
  id: ExternalId({ description: "The tier's id, the shop's choice (e.g. 'gold'); rules' `tiers` conditions name it" }),
  name: Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\p{Cc}]*$' }),
  threshold: Type.Integer({
    minimum: 0,
    maximum: 1_000_000_000_000,
    description: 'Qualifying points, or money in minor units (basis spend); the first tier 0, then strictly increasing',
  }),
  multiplier: Decimal(2, { minimum: 1, maximum: 10, description: 'Earning multiplier of base points (D2), 1–10' }),
  benefits: Type.Array(Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\p{Cc}]*$' }), { maxItems: 20 }),
});

export const TierConfigBody = Type.Object({
  basis: Type.Union([Type.Literal('points'), Type.Literal('spend')], {
    description: 'points: points earned on orders once they mature, net of reversals; spend: money paid for them, net of refunds',
  }),
  window: Type.Union([Type.Literal('rolling12Months'), Type.Literal('calendarYear'), Type.Literal('lifetime')]),
  retainMonths: Type.Integer({ minimum: 0, maximum: 36, description: 'Grace after a window closes below the threshold' }),
  stepDown: Type.Boolean({ description: 'Down one tier at a time' }),
  tiers: Type.Array(Tier, { maxItems: MAX_TIERS, description: 'Lowest first; empty: no tiers' }),
});

export const TierView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  multiplier: Type.Number(),
  benefits: Type.Array(Type.String()),
  since: Timestamp,
  retainUntil: Nullable(Timestamp),
  heldUntil: Nullable(Timestamp),
  qualifying: Type.Object({
    basis: Type.String({ enum: ['points', 'spend'] }),
    total: Type.Integer(),
    windowStart: Nullable(Timestamp),
    windowEnd: Nullable(Timestamp),
  }),
  next: Nullable(Type.Object({ id: Type.String(), name: Type.String(), threshold: Type.Integer(), remaining: Type.Integer() })),
}, { description: "retainUntil: the earliest a downgrade can happen (null on the lowest tier); next: what the current window lacks for the tier above" });

export const TierHistoryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
});

export const TierHistoryPage = Type.Object({
  data: Type.Array(
    Type.Object({
      from: Nullable(Type.String()),
      to: Type.String(),
      reason: Type.String({ enum: ['qualified', 'window_closed', 'config_changed', 'manual'] }),
      note: Nullable(Type.String()),
      actor: Type.String(),
      at: Timestamp,
    }),
  ),
  nextCursor: Nullable(Type.String()),
});

export const ManualTierBody = Type.Object({
  tierId: ExternalId(),
  reason: Type.String({ minLength: 1, maxLength: 500 }),
  until: Type.Optional(Nullable(Timestamp)),
});
