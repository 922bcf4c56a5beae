import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx } from '../../db/tx.ts';
import { verifyToken } from '../mail/unsubscribe-token.ts';
import { raiseEvents } from '../outbox/outbox-repo.ts';
import type { ProgramService } from '../program/program-service.ts';
import type { Clock } from '../common/clock.ts';
import { DomainError, notFound } from '../common/errors.ts';
import { sweepInChunks, type SweepLimits } from '../common/sweep.ts';
import { countDueRequests, findAskedOrder, insertRequests, recordAnswer, shopsAskingFeedback } from './feedback-repo.ts';
import { checkAnswer, requestWindow } from './feedback-rules.ts';
import type { DueRequests, FeedbackSource } from './feedback-types.ts';

/** Requests per chunk (one transaction each: the rows and their events) and chunks per run. */
export const FEEDBACK_SWEEP: SweepLimits = { chunk: 500, maxChunks: 200 };

export type FeedbackService = ReturnType<typeof createFeedbackService>;

export const feedbackExists = (): DomainError =>
  new DomainError('feedback_exists', 'Feedback for this order is already recorded; the first answer is kept');

const tokenInvalid = (): DomainError =>
  new DomainError('feedback_token_invalid', 'This feedback link is not one Lojal signed: it may have been cut or altered');

/** What the score page shows for a link: the member's language, the shop and order, and whether it was answered. */
export interface FeedbackPage {
  locale: string;
  shopName: string;
  orderNumber: string;
  answered: boolean;
}

/** A recorded answer, as stored. */
export interface RecordedAnswer {
  score: number;
  comment: string | null;
  answeredAt: Date;
}

export type AnswerOutcome = { outcome: 'recorded'; locale: string; answer: RecordedAnswer } | { outcome: 'exists'; locale: string };

interface Deps {
  database: Database;
  clock: Clock;
  secretKey: Buffer;
  program: ProgramService;
}

/** One shop's run of `feedback-requests`: nothing when its program sets no `feedbackRequestDays`. */
async function requestShop(deps: Deps, shopId: string, asOf: Date, dryRun: boolean, limits: SweepLimits): Promise<number> {
  const days = (await deps.program.get(shopId)).feedbackRequestDays;
  if (days === null) return 0;
  const window = requestWindow(shopId, asOf, days);
  if (dryRun) return countDueRequests(reader(deps.database.db), window, limits.chunk * limits.maxChunks);
  return sweepInChunks((limit) => requestChunk(deps, window, limit), limits);
}

/** One chunk: the rows and their `feedback.requested` events in one transaction. */
function requestChunk({ database, clock }: Deps, window: DueRequests, limit: number): Promise<number> {
  const now = clock.now();
  return withTx(database.db, async (tx) => {
    const made = await insertRequests(tx, window, limit, now);
    await raiseEvents(tx, made.map((r) => ({
      shopId: r.shopId,
      type: 'feedback.requested' as const,
      memberId: r.memberId,
      data: { orderId: r.orderId, orderNumber: r.orderNumber },
      at: now,
    })));
    return made.length;
  });
}

function claimsOf(secretKey: Buffer, token: string): { shopId: string; memberId: string; orderId: string } {
  const claims = verifyToken(secretKey, 'feedback', token);
  if (!claims?.orderId) throw tokenInvalid();
  return { shopId: claims.shopId, memberId: claims.memberId, orderId: claims.orderId };
}

/** D14: feedback requests (the job), the score links' page and answer, and answers through the API. */
export function createFeedbackService(deps: Deps) {
  const { database, clock, secretKey, program } = deps;
  const { db } = database;

  async function recordFeedback(
    shopId: string, memberId: string, orderId: string, score: unknown, comment: unknown, source: FeedbackSource,
  ): Promise<RecordedAnswer> {
    const answer = checkAnswer(score, comment);
    const at = clock.now();
    const { found, written } = await withTx(db, (tx) => recordAnswer(tx, { shopId, memberId, orderId, ...answer, source, at }));
    if (!found) throw notFound('Order of this member');
    if (!written) throw feedbackExists();
    return { ...answer, answeredAt: at };
  }

  return {
    /**
     * The `feedback-requests` job: for one shop or every shop that sets `feedbackRequestDays` (null), asks about
     * each order completed in the window (feedback-rules.ts) of a consenting member, once per order however many
     * runs overlap. A dry run counts what a run would ask, writing nothing.
     */
    async requestDue(shopId: string | null, asOf: Date, dryRun = false, limits: SweepLimits = FEEDBACK_SWEEP): Promise<{ requested: number }> {
      const shops = shopId ? [shopId] : await shopsAskingFeedback(reader(db));
      let requested = 0;
      for (const shop of shops) requested += await requestShop(deps, shop, asOf, dryRun, limits);
      return { requested };
    },

    /** The page a score link opens; records nothing. Throws feedback_token_invalid, not_found (member erased). */
    async page(token: string): Promise<FeedbackPage> {
      const { shopId, memberId, orderId } = claimsOf(secretKey, token);
      const asked = await findAskedOrder(reader(db), shopId, memberId, orderId);
      if (!asked) throw notFound('Order of this member');
      const { senderName } = (await program.get(shopId)).mail;
      return { locale: asked.locale, shopName: senderName || asked.shopName, orderNumber: asked.orderNumber, answered: asked.feedback?.answeredAt != null };
    },

    /**
     * The score page's submit: records the answer once, as from the e-mail; a second answer is `exists` and the
     * first is kept. Returns the member's locale for the answer page. Throws feedback_token_invalid,
     * validation_failed, not_found.
     */
    async answer(token: string, score: unknown, comment: unknown): Promise<AnswerOutcome> {
      const { shopId, memberId, orderId } = claimsOf(secretKey, token);
      const asked = await findAskedOrder(reader(db), shopId, memberId, orderId);
      if (!asked) throw notFound('Order of this member');
      try {
        return { outcome: 'recorded', locale: asked.locale, answer: await recordFeedback(shopId, memberId, orderId, score, comment, 'email') };
      } catch (error) {
        if (error instanceof DomainError && error.code === 'feedback_exists') return { outcome: 'exists', locale: asked.locale };
        throw error;
      }
    },

    /**
     * D14: records a member's score (0–10) and comment for one of their orders, once; the points for it come with
     * the feedback route. Throws validation_failed, not_found (not the member's order, or the member erased),
     * feedback_exists.
     */
    recordFeedback,
  };
}
