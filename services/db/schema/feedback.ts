import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * D14: one row per order: the e-mail request (`requested_at`, by the `feedback-requests` job) and the member's
 * answer (score 0–10, optional comment, when and how it came). A row exists before its answer when the request went
 * out; an answer through the API may come without a request (`requested_at` null). One answer per order: the first
 * is kept.
 */
export const feedback = pgTable(
  'feedback',
  {
    shopId: text('shop_id').notNull(),
    orderId: text('order_id').notNull(),
    memberId: text('member_id').notNull(),
    requestedAt: ts('requested_at'),
    score: smallint('score'),
    comment: text('comment'),
    answeredAt: ts('answered_at'),
    /** How the answer came: 'email' (the score links) or 'api'. */
    source: text('source'),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.orderId] }),
    index('feedback_member').on(t.shopId, t.memberId),
    check('feedback_score', sql`${t.score} IS NULL OR ${t.score} BETWEEN 0 AND 10`),
    // FEEDBACK_COMMENT_MAX of core/feedback/feedback-rules.ts.
    check('feedback_comment', sql`${t.comment} IS NULL OR char_length(${t.comment}) <= 2000`),
    check('feedback_source', sql`${t.source} IS NULL OR ${t.source} IN ('email','api')`),
    check(
      'feedback_answered',
      sql`(${t.answeredAt} IS NULL) = (${t.score} IS NULL) AND (${t.answeredAt} IS NULL) = (${t.source} IS NULL)`,
    ),
  ],
);
