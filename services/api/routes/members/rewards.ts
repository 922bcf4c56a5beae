import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiBonusKind } from '../../../core/bonuses/bonus-types.ts';
import type { Container } from '../../../core/container.ts';
import { shopOf } from '../../plugins/auth.ts';
import { problems } from '../../schemas.ts';
import * as S from './schemas.ts';
import { bonusView, feedbackView } from './views.ts';

type App = Parameters<FastifyPluginAsyncTypebox>[0];
const tags = ['members'];

/** What a member is given for things other than orders: bonuses (D11) and feedback with its points (D14). */
export function rewardRoutes(app: App, container: Container): void {
  const { bonuses, feedback } = container;

  app.post(
    '/v1/members/:customerId/bonuses',
    {
      schema: {
        tags,
        summary: 'Give a bonus (review, birthday, signup, referral, custom), once per kind and reference',
        description:
          "Credits the points (default: the program's `bonuses[kind]`; `custom` must name them) as a `bonus` entry into " +
          '`available`, a lot expiring as matured points would. `201` with the bonus when given now; the same member, kind ' +
          'and reference again is `200` with the bonus given before and `duplicate: true`, and nothing more is given. A bonus ' +
          'worth 0 (the program gives none of that kind and no points are named) is `422 bonus_not_configured`.',
        params: S.CustomerParams,
        body: S.BonusBody,
        response: { 200: S.BonusView, 201: S.BonusView, ...problems(400, 401, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const principal = shopOf(request);
      const { kind, reference, points } = request.body;
      const input = { kind: kind as ApiBonusKind, reference, ...(points === undefined ? {} : { points }) };
      const awarded = await bonuses.award(principal.shopId, request.params.customerId, input, principal.keyId);
      return reply.code(awarded.duplicate ? 200 : 201).send(bonusView(awarded));
    },
  );

  app.post(
    '/v1/members/:customerId/feedback',
    {
      schema: {
        tags,
        summary: "Record the member's score (0–10) and comment for one of its orders, once per order (D14)",
        description:
          'One answer per order: a second one is `409 feedback_exists` and the first is kept. An order that is not the ' +
          "member's (or an unknown member) is `404 not_found`. The answer brings the program's `bonuses.feedback` points, " +
          'once per order, in the same transaction (`bonus`; null when the program gives none).',
        params: S.CustomerParams,
        body: S.FeedbackBody,
        response: { 201: S.FeedbackView, ...problems(400, 401, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const { orderId, score, comment } = request.body;
      const recorded = await feedback.recordForCustomer(shopOf(request).shopId, request.params.customerId, orderId, score, comment);
      return reply.code(201).send(feedbackView(recorded));
    },
  );
}
