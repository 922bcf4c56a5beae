import type { Bucket, EntryKind } from '../ledger/ledger-types.ts';

/**
 * D16: the domain events Lojal raises. Every ledger entry raises the event of its kind (ENTRY_EVENTS); the others
 * are raised by jobs and by member changes. Outbound webhooks carry all of them; e-mails follow some.
 */
export const ENTRY_EVENTS = {
  earn: 'points.earned',
  mature: 'points.matured',
  void: 'points.voided',
  hold: 'redemption.held',
  release: 'redemption.released',
  commit: 'redemption.committed',
  reverse: 'points.reversed',
  restore: 'redemption.restored',
  expire: 'points.expired',
  adjust: 'points.adjusted',
  bonus: 'points.bonus',
  import: 'points.imported',
  writeoff: 'points.written_off',
} as const satisfies Record<EntryKind, string>;

export const OTHER_EVENTS = ['points.expiring', 'member.created', 'member.erased', 'feedback.requested', 'tier.changed'] as const;

export type EntryEventType = (typeof ENTRY_EVENTS)[EntryKind];
export type DomainEventType = EntryEventType | (typeof OTHER_EVENTS)[number];

export const DOMAIN_EVENT_TYPES: readonly DomainEventType[] = [...new Set(Object.values(ENTRY_EVENTS)), ...OTHER_EVENTS];

/** A member's balances when the event was relayed. */
export interface EventBalance {
  available: number;
  pending: number;
  held: number;
}

/**
 * What an event says, as a shop's webhook receives it (`data`). Entry events fill the entry's fields; the
 * others carry their own (points.expiring: `points`, `expiresAt`, `days`; feedback.requested: `orderId`,
 * `orderNumber`). Never personal data beyond the shop's own customer id: deliveries are stored.
 */
export interface EventData {
  /** The shop's customer id; null once the member was erased. */
  customerId: string | null;
  points?: number;
  /** points.* and redemption.*: the buckets; tier.changed: the tiers ({ id, name }, the tier reached with more). */
  from?: Bucket | { id: string; name: string } | null;
  to?: Bucket | { id: string; name: string; [field: string]: unknown } | null;
  entryId?: string;
  orderId?: string | null;
  refundId?: string | null;
  redemptionId?: string | null;
  reason?: string | null;
  expiresAt?: string | null;
  balance?: EventBalance;
  [field: string]: unknown;
}

/**
 * One domain event as the relay hands it on (the payload of an `outbox` queue job, so JSON only). `id` is stable
 * (`evt_<outbox row id>`) and unique: handlers deduplicate by it, webhooks send it as the event id.
 */
export interface DomainEvent {
  id: string;
  shopId: string;
  type: DomainEventType;
  /** RFC 3339: when the change was made. */
  occurredAt: string;
  /** The member's internal id (for handlers that read the member, e.g. to e-mail it); not sent to shops. */
  memberId: string | null;
  data: EventData;
}

/** The public form of an event: what an outbound webhook's body is. */
export function publicEvent(event: DomainEvent): { id: string; type: DomainEventType; occurredAt: string; data: EventData } {
  return { id: event.id, type: event.type, occurredAt: event.occurredAt, data: event.data };
}
