import type { DomainEvent, DomainEventType } from '../outbox/outbox-types.ts';
import { feedbackRequestMailData } from '../feedback/feedback-mail.ts';
import type { MailData, MailTemplate } from './mail-types.ts';

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
  template: MailTemplate;
  /** The message's figures; null: this event asks for no message (no points, no redemption to tell of). */
  figures(event: DomainEvent, context: PlanContext): MailFigures | null;
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
};

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
    default:
      return { points: f.points, balance: f.balance };
  }
}
