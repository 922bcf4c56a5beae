import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Container } from '../../../core/container.ts';
import { shopOf } from '../../plugins/auth.ts';
import { problems } from '../../schemas.ts';
import { ShopView } from '../admin/schemas.ts';

/** The calling shop, as its key sees it: plugins use it to test a connection. */
export const shopRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  app.get(
    '/v1/shop',
    {
      schema: {
        tags: ['shop'],
        summary: "The shop this API key belongs to (a plugin's connection test)",
        response: { 200: ShopView, ...problems(401, 429) },
      },
    },
    async (request) => {
      const shop = await container.shops.getShop(shopOf(request).shopId);
      return { ...shop, createdAt: shop.createdAt.toISOString() };
    },
  );
};
