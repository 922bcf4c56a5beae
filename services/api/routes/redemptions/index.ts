import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Container } from '../../../core/container.ts';
import type { Redemption } from '../../../core/redemptions/redemption-types.ts';
import { shopOf } from '../../plugins/auth.ts';
import { MAX_AMOUNT } from '../../../core/common/money.ts';
import { Currency, ExternalId, LojalId, Money, problems, Timestamp } from '../../schemas.ts';

const tags = ['redemptions'];
/** D21: quote, hold, commit and release are what a shopper waits on: the key's checkout budget, not its api one. */
const CHECKOUT = { rateLimit: { budget: 'checkout' as const } };
const CustomerId = ExternalId();
const Params = Type.Object({ id: LojalId });
const Status = Type.Union([Type.Literal('held'), Type.Literal('committed'), Type.Literal('released'), Type.Literal('expired')]);
const RedemptionView = Type.Object({
  id: Type.String(),
  customerId: Type.String(),
  cartId: Type.Union([Type.String(), Type.Null()]),
  status: Status,
  points: Type.Integer(),
  amount: Type.Integer({ description: 'Money value of the points, minor units' }),
  currency: Type.String(),
  orderId: Type.Union([Type.String(), Type.Null()]),
  restored: Type.Integer({ description: 'Points given back by refunds of the order' }),
  expiresAt: Timestamp,
  createdAt: Timestamp,
});

function view(r: Redemption) {
  return {
    id: r.id,
    customerId: r.customerId,
    cartId: r.cartId,
    status: r.status,
    points: r.points,
    amount: r.amount,
    currency: r.currency,
    orderId: r.orderId,
    restored: r.restoredPoints,
    expiresAt: r.expiresAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
  };
}

/** Redemption at checkout (D6; docs/redemptions.md). */
export const redemptionRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  holdRoutes(app, container);
  settleRoutes(app, container);
};

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/** Quote and hold at checkout. */
function holdRoutes(app: App, container: Container): void {
  const { redemptions } = container;
  app.post(
    '/v1/redemptions/quote',
    {
      config: CHECKOUT,
      schema: {
        tags,
        summary: 'How many points the member may use on an order of this total, and their value',
        body: Type.Object({
          customerId: CustomerId,
          orderTotal: Type.Object({ amount: Money(), currency: Currency }),
        }),
        response: {
          200: Type.Object({
            available: Type.Integer(),
            maxPoints: Type.Integer({ description: '0 when less than minPoints could be used' }),
            minPoints: Type.Integer(),
            pointValue: Type.Integer({ description: 'Money value of one point, minor units' }),
            maxAmount: Type.Integer(),
          }),
          ...problems(400, 401, 404, 422, 429),
        },
      },
    },
    async (request) => redemptions.quote(shopOf(request).shopId, request.body.customerId, request.body.orderTotal),
  );

  app.post(
    '/v1/redemptions',
    {
      config: CHECKOUT,
      schema: {
        tags,
        summary: 'Hold points for a checkout: they leave the available balance at once, until commit, cancel or the TTL',
        body: Type.Object({
          customerId: CustomerId,
          points: Type.Integer({ minimum: 1, maximum: MAX_AMOUNT }),
          cartId: Type.Optional(ExternalId({ description: 'A new hold for a cart releases its earlier one' })),
        }),
        response: { 201: RedemptionView, ...problems(400, 401, 404, 409, 410, 422, 429) },
      },
    },
    async (request, reply) => {
      const principal = shopOf(request);
      const { customerId, points, cartId } = request.body;
      return reply.code(201).send(view(await redemptions.hold(principal.shopId, customerId, points, cartId ?? null, principal.keyId)));
    },
  );
}

/** Commit, cancel and read a hold. */
function settleRoutes(app: App, container: Container): void {
  const { redemptions } = container;
  app.post(
    '/v1/redemptions/:id/commit',
    {
      config: CHECKOUT,
      schema: {
        tags,
        summary: 'Burn the held points for an order (committing twice is the same)',
        params: Params,
        body: Type.Object({ orderId: ExternalId() }),
        response: { 200: RedemptionView, ...problems(400, 401, 404, 409, 410, 429) },
      },
    },
    async (request) => {
      const principal = shopOf(request);
      return view(await redemptions.commit(principal.shopId, request.params.id, request.body.orderId, principal.keyId));
    },
  );

  app.post(
    '/v1/redemptions/:id/cancel',
    {
      config: CHECKOUT,
      schema: {
        tags,
        summary: 'Release a hold: the points return to the available balance',
        params: Params,
        response: { 200: RedemptionView, ...problems(401, 404, 409, 410, 429) },
      },
    },
    async (request) => {
      const principal = shopOf(request);
      return view(await redemptions.cancel(principal.shopId, request.params.id, principal.keyId));
    },
  );

  app.get(
    '/v1/redemptions/:id',
    { schema: { tags, summary: 'A redemption', params: Params, response: { 200: RedemptionView, ...problems(401, 404, 429) } } },
    async (request) => view(await redemptions.get(shopOf(request).shopId, request.params.id)),
  );
}
