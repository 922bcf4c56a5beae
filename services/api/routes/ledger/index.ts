import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Container } from '../../../core/container.ts';
import { shopOf } from '../../plugins/auth.ts';
import { problems } from '../../schemas.ts';

const CheckReport = Type.Object({
  ok: Type.Boolean(),
  members: Type.Integer({ description: 'Members checked' }),
  differences: Type.Array(
    Type.Object({
      shopId: Type.String(),
      memberId: Type.String(),
      customerId: Type.String(),
      check: Type.String({ description: 'Which invariant of D13 failed' }),
      expected: Type.Integer({ description: 'Recomputed from the entries' }),
      actual: Type.Integer({ description: 'Stored' }),
      lotId: Type.Optional(Type.String()),
    }),
  ),
});

/** D13: the integrity check, for a shop (its key) or for every shop (operator). */
export const ledgerRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  app.get(
    '/v1/ledger/check',
    {
      schema: {
        tags: ['ledger'],
        summary: "Recompute the shop's balances and lots from the entries and list any difference",
        response: { 200: CheckReport, ...problems(401, 429) },
      },
    },
    async (request) => container.ledger.check(shopOf(request).shopId),
  );

  app.get(
    '/v1/admin/ledger/check',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['operator'],
        summary: 'The ledger check over every shop',
        security: [{ adminToken: [] }],
        response: { 200: CheckReport, ...problems(401, 429) },
      },
    },
    async () => container.ledger.check(null),
  );
};
