import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Container } from '../../../core/container.ts';
import { feedbackFormPage, feedbackNotePage } from '../../../core/feedback/feedback-page.ts';
import { FEEDBACK_COMMENT_MAX } from '../../../core/feedback/feedback-rules.ts';
import { feedbackExists } from '../../../core/feedback/feedback-service.ts';
import { DomainError } from '../../../core/common/errors.ts';
import { problems, Timestamp } from '../../schemas.ts';

const Token = Type.String({ minLength: 1, maxLength: 1024, description: 'The signed token of the score link in the message' });
const Score = Type.Integer({ minimum: 0, maximum: 10, description: 'How likely the member is to recommend the shop, 0 to 10' });
const Query = Type.Object({ token: Token, score: Type.Optional(Score) });
const Body = Type.Object({
  token: Token,
  score: Score,
  comment: Type.Optional(Type.String({ maxLength: FEEDBACK_COMMENT_MAX * 2, description: `At most ${FEEDBACK_COMMENT_MAX} characters` })),
});
const Recorded = Type.Object({ score: Score, comment: Type.Union([Type.String(), Type.Null()]), answeredAt: Timestamp });
const Html = (description: string) => ({ description, content: { 'text/html': { schema: Type.String() } } });
const FORM = 'application/x-www-form-urlencoded';
/** A comment of 2,000 characters percent-encoded, 4 UTF-8 bytes each at most, with room for the rest. */
const FORM_LIMIT = 32 * 1024;

/** A browser (it accepts text/html) gets its errors as a page in the member's language; any other client problem+json. */
const wantsHtml = (request: FastifyRequest): boolean => /\btext\/html\b/i.test(request.headers.accept ?? '');
const PAGE_ERRORS: readonly string[] = ['feedback_token_invalid', 'not_found'];

/**
 * D14: the e-mail's score links. GET shows the page (records nothing, so mail scanners that open every link record
 * nothing); its form's submit, a POST, records the answer. Public: the token is the authorisation.
 */
export const feedbackRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  // The page's form: token, score and comment as text; a score of digits becomes a number, as JSON would have it.
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => {
    const fields: Record<string, unknown> = Object.fromEntries(new URLSearchParams(body as string));
    if (typeof fields.score === 'string' && /^\d{1,2}$/.test(fields.score)) fields.score = Number(fields.score);
    done(null, fields);
  });
  const action = `${container.config.publicUrl}/v1/feedback`;
  const note = (reply: FastifyReply, status: number, locale: string | null, kind: 'recorded' | 'exists' | 'invalid') =>
    reply.code(status).type('text/html; charset=utf-8').send(feedbackNotePage(locale, kind));

  app.get('/v1/feedback', {
    config: { auth: 'public' },
    schema: {
      tags: ['feedback'],
      summary: 'The page a score link opens: the score chosen, a comment box, a submit',
      description: 'Records nothing: only the page\'s submit (`POST /v1/feedback`) does. In the member\'s language. A token that is not exactly as signed is `400 feedback_token_invalid`; an order no longer the member\'s (the member erased) `404 not_found`; a `score` outside 0–10 `400 validation_failed`. A browser (`Accept` naming `text/html`) gets the first two as a page in its language, with the same status.',
      security: [],
      querystring: Query,
      response: { 200: Html('The score page, or a page saying the answer is recorded already'), ...problems(400, 404, 429) },
    },
  }, async (request, reply) => {
    const { token, score } = request.query;
    try {
      const page = await container.feedback.page(token);
      if (page.answered) return note(reply, 200, page.locale, 'exists');
      return reply.type('text/html; charset=utf-8').send(feedbackFormPage({ ...page, score: score ?? null, token, action }));
    } catch (error) {
      if (error instanceof DomainError && PAGE_ERRORS.includes(error.code) && wantsHtml(request)) return note(reply, error.status, null, 'invalid');
      throw error;
    }
  });

  app.post('/v1/feedback', {
    config: { auth: 'public', idempotent: false },
    schema: {
      tags: ['feedback'],
      summary: 'Record the score (and comment) of a score link, once per order',
      description: 'Records the answer once per order; a second one is `409 feedback_exists` and the first is kept. The score page\'s form (`application/x-www-form-urlencoded`) is answered with a thank-you page in the member\'s language (`200`), a JSON body with what was recorded (`201`). A token that is not exactly as signed is `400 feedback_token_invalid`; an order no longer the member\'s `404 not_found`; a score outside 0–10 or a comment over 2,000 characters `400 validation_failed`. Nothing is written for any of them. A browser (`Accept` naming `text/html`) gets `feedback_exists`, `feedback_token_invalid` and `not_found` as a page in its language, with the same status.',
      security: [],
      consumes: [FORM, 'application/json'],
      body: Body,
      response: {
        200: Html('Thanks, in the member\'s language (form posts)'),
        201: Recorded,
        ...problems(400, 404, 409, 429),
      },
    },
  }, async (request, reply) => {
    const form = (request.headers['content-type'] ?? '').toLowerCase().startsWith(FORM);
    const { token, score, comment } = request.body;
    try {
      const result = await container.feedback.answer(token, score, comment);
      if (result.outcome === 'exists') {
        if (wantsHtml(request)) return note(reply, 409, result.locale, 'exists');
        throw feedbackExists();
      }
      if (form) return note(reply, 200, result.locale, 'recorded');
      return reply.code(201).send({ ...result.answer, answeredAt: result.answer.answeredAt.toISOString() });
    } catch (error) {
      if (error instanceof DomainError && PAGE_ERRORS.includes(error.code) && wantsHtml(request)) return note(reply, error.status, null, 'invalid');
      throw error;
    }
  });
};
