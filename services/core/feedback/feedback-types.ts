/** D14: how an answer came: the e-mail's score links, or the shop's API. */
export type FeedbackSource = 'email' | 'api';

/** One order's feedback row: the request (when it went) and the answer (when it came). */
export interface FeedbackRecord {
  shopId: string;
  orderId: string;
  memberId: string;
  requestedAt: Date | null;
  score: number | null;
  comment: string | null;
  answeredAt: Date | null;
  source: FeedbackSource | null;
}

/** Which orders a run of `feedback-requests` asks about: one shop's, completed in [completedFrom, completedBy]. */
export interface DueRequests {
  shopId: string;
  completedFrom: Date;
  completedBy: Date;
}

/** A request the job made: the `feedback.requested` event's facts. */
export interface MadeRequest {
  shopId: string;
  orderId: string;
  memberId: string;
  /** The shop's order number, or its id when the order has none. */
  orderNumber: string;
}
