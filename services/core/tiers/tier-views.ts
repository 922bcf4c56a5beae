import type { Member } from '../members/member-types.ts';
import { nextTier, tierIndex } from './tier-rules.ts';
import type { TierChange, TierConfig, TierStanding, TierWindowSpan } from './tier-types.ts';

/** A shop's tiers as the service reads them: the configuration (null: none), the shop's zone and currency. */
export interface ShopTiers {
  config: TierConfig | null;
  /** Removed tier id → the tier its members are moving to, until the tiers job has moved them. */
  remap?: Record<string, string>;
  timezone: string;
  currency: string;
}

export function standingOf(member: Pick<Member, 'tier'>): TierStanding {
  return { tierId: member.tier.id, since: member.tier.since, reviewAt: member.tier.reviewAt, heldUntil: member.tier.heldUntil };
}

/** The member's tier as the member view shows it (`tier` of `GET /v1/members/{id}`). */
export function tierView(config: TierConfig, member: Member, span: TierWindowSpan, total: number) {
  const index = Math.max(tierIndex(config, member.tier.id), 0);
  const tier = config.tiers[index]!;
  return {
    id: tier.id,
    name: tier.name,
    multiplier: tier.multiplier,
    benefits: tier.benefits,
    since: member.tier.since ?? member.createdAt,
    retainUntil: index > 0 ? member.tier.reviewAt : null,
    heldUntil: member.tier.heldUntil,
    qualifying: { basis: config.basis, total, windowStart: span.start, windowEnd: span.end },
    next: nextTier(config, index, total),
  };
}

/**
 * What `tier.changed` carries (and its e-mail says): the tiers left and reached, the direction, the reason, and the
 * tier above the new one with what the current window still lacks for it (after a step down: the way back).
 */
export function changeEventData({ config, currency }: ShopTiers, change: TierChange, currentTotal: number): Record<string, unknown> {
  const tiers = config!.tiers;
  const toIndex = tierIndex(config!, change.to);
  const from = tiers.find((t) => t.id === change.from);
  const to = tiers[toIndex]!;
  const next = nextTier(config!, toIndex, currentTotal);
  return {
    // A tier the shop removed is named by its id.
    from: from ? { id: from.id, name: from.name } : { id: change.from, name: change.from },
    to: { id: to.id, name: to.name, multiplier: String(to.multiplier), benefits: to.benefits },
    direction: change.direction,
    reason: change.reason,
    basis: config!.basis,
    currency,
    next: next ? { id: next.id, name: next.name, remaining: next.remaining } : null,
  };
}
