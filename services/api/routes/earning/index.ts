import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Container } from '../../../core/container.ts';
import { shopOf } from '../../plugins/auth.ts';
import { problems } from '../../schemas.ts';
import * as S from './schemas.ts';

const tags = ['earning'];

/**
 * What a cart or product page would earn ("earn N points"; docs/earning.md). A read: it writes nothing, not even
 * an Idempotency-Key's row, and a storefront may keep the answer a minute (the app's `no-store` is replaced).
 */
export const earningRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  const { earning } = container;

  app.post(
    '/v1/earning/quote',
    {
      // D21: product, cart and checkout pages wait on it: the key's checkout budget, not its api one.
      config: { idempotent: false, rateLimit: { budget: 'checkout' } },
      schema: {
        tags,
        summary: 'What these lines would earn now: the program, the live rules and the member’s tier (the lowest for a guest)',
        description:
          'Writes nothing; an `Idempotency-Key` is not needed and is ignored. Shipping and tax are not part of a quote. ' +
          "The lines are priced in the program's currency (`currency`, when given, must be it: 422 `currency_mismatch`). " +
          'Answers `Cache-Control: private, max-age=60`.',
        body: S.QuoteBody,
        response: { 200: S.QuoteView, ...problems(400, 401, 422, 429) },
      },
    },
    async (request, reply) => {
      const quote = await earning.quote(shopOf(request).shopId, request.body);
      reply.header('cache-control', 'private, max-age=60');
      return quote;
    },
  );
};
