import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import { withTx, type Tx } from '../../db/tx.ts';
import type { Bonus } from '../bonuses/bonus-types.ts';
import { lockMember, lockMemberById } from '../members/member-repo.ts';
import type { Member } from '../members/member-types.ts';
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

/** An answer recorded through the shop's route, with the points it brought (null: the program gives none). */
export interface RecordedFeedback extends RecordedAnswer {
  orderId: string;
  bonus: Bonus | null;
}

export type AnswerOutcome = { outcome: 'recorded'; locale: string; answer: RecordedAnswer } | { outcome: 'exists'; locale: string };

interface Deps {
  database: Database;
  clock: Clock;
  secretKey: Buffer;
  program: ProgramService;
  /** D14: the points for an answer (`bonuses.feedback`), once per order, in the answer's transaction. */
  rewardAnswer: (tx: Tx, member: Member, orderId: string) => Promise<Bonus | null>;
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

/**
 * Records the answer of the member `lock` finds (locked first: the answer and its points, and an erasure,
 * take the member before the feedback row) and gives its points, in one transaction. Throws validation_failed,
 * not_found, feedback_exists.
 */
async function record(
  { database, clock, rewardAnswer }: Deps,
  lock: (tx: Tx) => Promise<Member | null>, orderId: string, score: unknown, comment: unknown, source: FeedbackSource,
): Promise<{ answer: RecordedAnswer; bonus: Bonus | null }> {
  const answer = checkAnswer(score, comment);
  const at = clock.now();
  return withTx(database.db, async (tx) => {
    const member = await lock(tx);
    if (!member) throw notFound('Member');
    const { found, written } = await recordAnswer(tx, { shopId: member.shopId, memberId: member.id, orderId, ...answer, source, at });
    if (!found) throw notFound('Order of this member');
    if (!written) throw feedbackExists();
    return { answer: { ...answer, answeredAt: at }, bonus: await rewardAnswer(tx, member, orderId) };
  });
}

/** D14: feedback requests (the job), the score links' page and answer, and answers through the API. */
export function createFeedbackService(deps: Deps) {
  const { database, secretKey, program } = deps;
  const { db } = database;

  const recordFeedback = async (
    shopId: string, memberId: string, orderId: string, score: unknown, comment: unknown, source: FeedbackSource,
  ): Promise<RecordedAnswer> => (await record(deps, (tx) => lockMemberById(tx, shopId, memberId), orderId, score, comment, source)).answer;

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
     * D14: records a member's score (0–10) and comment for one of their orders, once, with its points
     * (`bonuses.feedback`, once per order). Throws validation_failed, not_found (not the member's order, or the
     * member erased), feedback_exists.
     */
    recordFeedback,

    /**
     * D14: `POST /v1/members/{customerId}/feedback`: as `recordFeedback`, for the shop's customer, answering the
     * points given too. Throws validation_failed, not_found (no such member, or not its order), feedback_exists.
     */
    async recordForCustomer(shopId: string, customerId: string, orderId: string, score: unknown, comment: unknown): Promise<RecordedFeedback> {
      const { answer, bonus } = await record(deps, (tx) => lockMember(tx, shopId, customerId), orderId, score, comment, 'api');
      return { orderId, ...answer, bonus };
    },
  };
}
