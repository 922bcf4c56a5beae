import { validationFailed, type FieldError } from '../common/errors.ts';
import type { DueRequests } from './feedback-types.ts';

/** The longest comment a member may leave with a score, in characters (the table's check says the same). */
export const FEEDBACK_COMMENT_MAX = 2000;

const DAY_MS = 86_400_000;

/**
 * D14: how far back a run looks past `feedbackRequestDays`: an order completed more than this many days before its
 * request would have been due is never asked about, so switching the feature on (or lengthening the days) does not
 * mail the shop's whole history, and a worker that was down for a while still catches up.
 */
export const FEEDBACK_LOOKBACK_DAYS = 30;

/** The orders a run as of `asOf` asks about: completed at least `days` days before it, and at most `days` + 30. */
export function requestWindow(shopId: string, asOf: Date, days: number): DueRequests {
  return {
    shopId,
    completedBy: new Date(asOf.getTime() - days * DAY_MS),
    completedFrom: new Date(asOf.getTime() - (days + FEEDBACK_LOOKBACK_DAYS) * DAY_MS),
  };
}

/**
 * An answer as it is stored: a whole score from 0 to 10 and a comment trimmed (empty: none) of at most 2,000
 * characters. Throws validation_failed naming each wrong field.
 */
export function checkAnswer(score: unknown, comment: unknown): { score: number; comment: string | null } {
  const errors: FieldError[] = [];
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 10) {
    errors.push({ field: '/score', message: 'must be a whole number from 0 to 10' });
  }
  const text = typeof comment === 'string' ? comment.replace(/\r\n?/g, '\n').trim() : null;
  if (comment !== null && comment !== undefined && typeof comment !== 'string') {
    errors.push({ field: '/comment', message: 'must be text' });
  } else if (text !== null && [...text].length > FEEDBACK_COMMENT_MAX) {
    errors.push({ field: '/comment', message: `must be at most ${FEEDBACK_COMMENT_MAX} characters` });
  }
  if (errors.length > 0) throw validationFailed(errors);
  return { score: score as number, comment: text ? text : null };
}
