import type { MailData } from '../mail/mail-types.ts';
import { signToken } from '../mail/unsubscribe-token.ts';

/** The facts of a `feedback.requested` event a message is made of. */
export interface FeedbackRequestFacts {
  shopId: string;
  memberId: string;
  orderId: string;
  /** The event's `orderNumber` (the order's id when it has no number). */
  orderNumber: string;
}

/**
 * D14: the `feedbackRequest` template's data for one request: eleven links under PUBLIC_URL, for scores 0 to 10,
 * each `/v1/feedback?token=<feedback token of shop, member and order>&score=<n>`. A link opens the score page and
 * records nothing; only that page's submit does.
 */
export function feedbackRequestMailData(facts: FeedbackRequestFacts, secretKey: Buffer, publicUrl: string): MailData['feedbackRequest'] {
  const token = feedbackToken(secretKey, facts);
  const base = `${publicUrl.replace(/\/+$/, '')}/v1/feedback?token=${token}&score=`;
  return { orderNumber: facts.orderNumber, scoreUrls: Array.from({ length: 11 }, (_, score) => `${base}${score}`) };
}

/** The signed token of one order's feedback links: purpose `feedback`, naming the shop, the member and the order. */
export function feedbackToken(secretKey: Buffer, facts: Omit<FeedbackRequestFacts, 'orderNumber'>): string {
  return signToken(secretKey, { purpose: 'feedback', shopId: facts.shopId, memberId: facts.memberId, orderId: facts.orderId });
}
