import type { DomainEvent, DomainEventType } from '../outbox/outbox-types.ts';
import { feedbackRequestMailData } from '../feedback/feedback-mail.ts';
import type { MailData, MailTemplate, TierFacts } from './mail-types.ts';

/**
 * D17: the figures a message keeps (`mail_messages.data`), as JSON: points, balance, dates and money, never the
 * member's address or names (they are read from the member when the message goes, so an erasure reaches them).
 */
export interface MailFigures {
  points: number;
  balance: number;
  /** pointsExpiring: RFC 3339, and the days left until then. */
  expiresAt?: string;
  days?: number;
  /** redemptionReceipt: the discount in minor units of `currency`. */
  discount?: number;
  currency?: string;
  /** feedbackRequest: the order asked about (its links are signed when the message goes). */
  orderId?: string;
  orderNumber?: string;
  /** tierUp, tierDown (D9): the tier now held and the next within reach; names, numbers and a currency only. */
  tier?: TierFacts;
}

/** Who a message goes to, for templates whose data holds signed links (feedbackRequest). */
export interface LinkContext {
  shopId: string;
  memberId: string;
  secretKey: Buffer;
  publicUrl: string;
}

/** What a plan may need besides the event: the redemption a receipt is for (its discount is not in the event). */
export interface PlanContext {
  redemption: { amount: number; currency: string } | null;
}

export interface MailPlan {
  /** The event's template; a function when the event's data chooses it (tier.changed: up or down). */
  template: MailTemplate | ((event: DomainEvent) => MailTemplate);
  /** The message's figures; null: this event asks for no message (no points, no redemption to tell of). */
  figures(event: DomainEvent, context: PlanContext): MailFigures | null;
}

/** The template a plan sends for this event. */
export function templateOf(plan: MailPlan, event: DomainEvent): MailTemplate {
  return typeof plan.template === 'function' ? plan.template(event) : plan.template;
}

const points = (event: DomainEvent): number | null => (typeof event.data.points === 'number' && event.data.points > 0 ? event.data.points : null);
const balance = (event: DomainEvent): number => event.data.balance?.available ?? 0;

/** A plan for the templates that say a number of points and the balance. */
function pointsAndBalance(template: MailTemplate): MailPlan {
  return {
    template,
    figures: (event) => {
      const n = points(event);
      return n === null ? null : { points: n, balance: balance(event) };
    },
  };
}

/**
 * D17: which domain event sends which message; an event type not listed sends none. Whether a template is marketing
 * (and needs consent) is `MARKETING_TEMPLATES`'s to say. One entry per event type: a new message is one more line.
 */
export const MAIL_PLANS: Partial<Record<DomainEventType, MailPlan>> = {
  'points.earned': pointsAndBalance('pointsEarned'),
  'points.matured': pointsAndBalance('pointsMatured'),
  'points.expiring': {
    template: 'pointsExpiring',
    figures: (event) => {
      const n = points(event);
      const { expiresAt, days } = event.data;
      if (n === null || typeof expiresAt !== 'string' || typeof days !== 'number') return null;
      return { points: n, balance: balance(event), expiresAt, days };
    },
  },
  // D14: the post-purchase question; no points to tell of, the order's links are made when it goes.
  'feedback.requested': {
    template: 'feedbackRequest',
    figures: (event) => {
      const { orderId, orderNumber } = event.data;
      if (typeof orderId !== 'string') return null;
      return { points: 0, balance: balance(event), orderId, orderNumber: typeof orderNumber === 'string' ? orderNumber : orderId };
    },
  },
  'redemption.committed': {
    template: 'redemptionReceipt',
    figures: (event, { redemption }) => {
      const n = points(event);
      if (n === null || !redemption) return null;
      return { points: n, balance: balance(event), discount: redemption.amount, currency: redemption.currency };
    },
  },
  // D9: an account status message, not marketing (MARKETING_TEMPLATES leaves it out): it goes without consent.
  'tier.changed': {
    template: (event) => (event.data.direction === 'down' ? 'tierDown' : 'tierUp'),
    figures: (event) => {
      const tier = tierFacts(event.data);
      return tier ? { points: 0, balance: balance(event), tier } : null;
    },
  },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isName = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/**
 * D9: what a tier.changed event's data says of the tier now held and the next one, or null when it asks for no
 * message: no change (`from` is `to`), or data not as the tier service raises it (no tier, a multiplier that is not
 * a positive decimal, a direction or basis unknown, spend without an ISO currency, a next tier without a whole
 * number of points or minor units remaining). Tier names, benefits and numbers only: nothing personal is kept.
 */
export function tierFacts(data: Record<string, unknown>): TierFacts | null {
  const { from, to, next, direction, basis, currency } = data;
  if (!isObject(to) || !isName(to.id) || !isName(to.name)) return null;
  if (from !== null && from !== undefined && (!isObject(from) || typeof from.id !== 'string' || from.id === to.id)) return null;
  if (direction !== 'up' && direction !== 'down') return null;
  if (basis !== 'points' && basis !== 'spend') return null;
  const { multiplier, benefits } = to;
  if (typeof multiplier !== 'string' || !/^\d+(\.\d+)?$/.test(multiplier) || !(Number(multiplier) > 0)) return null;
  if (!Array.isArray(benefits) || !benefits.every((b) => typeof b === 'string')) return null;
  const code = typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? currency : null;
  if (basis === 'spend' && !code) return null;
  const nextTier = next === null || next === undefined ? null : isObject(next) ? next : undefined;
  if (nextTier === undefined) return null;
  if (nextTier && (!isName(nextTier.name) || !Number.isSafeInteger(nextTier.remaining) || (nextTier.remaining as number) < 0)) return null;
  return {
    name: to.name,
    multiplier,
    benefits: benefits as string[],
    basis,
    currency: code ?? '',
    next: nextTier ? { name: nextTier.name as string, remaining: nextTier.remaining as number } : null,
  };
}

/** The stored figures as the template's data (dates back to Date). */
export function mailData(template: MailTemplate, f: MailFigures, link: LinkContext): MailData[MailTemplate] {
  switch (template) {
    case 'feedbackRequest': {
      const facts = { shopId: link.shopId, memberId: link.memberId, orderId: f.orderId ?? '', orderNumber: f.orderNumber ?? f.orderId ?? '' };
      return feedbackRequestMailData(facts, link.secretKey, link.publicUrl);
    }
    case 'pointsExpiring':
      return { points: f.points, balance: f.balance, expiresAt: new Date(f.expiresAt ?? 0), days: f.days ?? 0 };
    case 'redemptionReceipt':
      return { points: f.points, balance: f.balance, discount: f.discount ?? 0, currency: f.currency ?? 'XXX' };
    case 'tierUp':
    case 'tierDown':
      return { balance: f.balance, tier: f.tier ?? { name: '', multiplier: '1', benefits: [], basis: 'points', currency: '', next: null } };
    default:
      return { points: f.points, balance: f.balance };
  }
}
