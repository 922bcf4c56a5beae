import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Container } from '../../../core/container.ts';
import { shopOf } from '../../plugins/auth.ts';
import { ExternalId, problems } from '../../schemas.ts';
import { OrderView, orderView } from './views.ts';

/** An order with its award, reversals and refunds (docs/events.md: Orders). */
export const orderRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  app.get(
    '/v1/orders/:orderId',
    {
      schema: {
        tags: ['orders'],
        summary: 'An order with its award, reversals and refunds',
        params: Type.Object({ orderId: ExternalId() }),
        response: { 200: OrderView, ...problems(401, 404, 429) },
      },
    },
    async (request) => orderView(await container.orders.get(shopOf(request).shopId, request.params.orderId)),
  );
};
