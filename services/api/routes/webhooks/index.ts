import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Container } from '../../../core/container.ts';
import type { Delivery } from '../../../core/webhooks/webhook-service.ts';
import { URL_MAX_LENGTH } from '../../../core/webhooks/webhook-rules.ts';
import { shopOf } from '../../plugins/auth.ts';
import { problems, Timestamp } from '../../schemas.ts';

const Endpoint = Type.Object({
  url: Type.Union([Type.String({ maxLength: URL_MAX_LENGTH, description: 'An absolute http or https URL, without user name or password' }), Type.Null()]),
  enabled: Type.Boolean({ description: 'true needs a url' }),
});
const Status = Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]);
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
const DeliveryView = Type.Object({
  id: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  status: Status,
  attempts: Type.Integer(),
  lastAttemptAt: NullableTimestamp,
  nextAttemptAt: NullableTimestamp,
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: NullableTimestamp,
  createdAt: Timestamp,
});
const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(Status),
});

const tags = ['webhooks'];
const iso = (d: Date | null) => d?.toISOString() ?? null;

function view(d: Delivery) {
  return {
    ...d,
    lastAttemptAt: iso(d.lastAttemptAt),
    // A delivery is claimed by moving its next attempt past the attempt's end: only a pending one has a next.
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    deliveredAt: iso(d.deliveredAt),
    createdAt: d.createdAt.toISOString(),
  };
}

/** D16: the shop's outbound webhook endpoint and what was delivered to it (docs/webhooks.md). */
export const webhookRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  const { webhooks } = container;
  app.get(
    '/v1/webhooks',
    { schema: { tags, summary: 'The shop’s webhook endpoint (url null: none)', response: { 200: Endpoint, ...problems(401, 429) } } },
    async (request) => webhooks.getEndpoint(shopOf(request).shopId),
  );
  app.put(
    '/v1/webhooks',
    {
      schema: {
        tags,
        summary: 'Set the shop’s webhook endpoint; url null removes it',
        body: Endpoint,
        response: { 200: Endpoint, ...problems(400, 401, 409, 429) },
      },
    },
    async (request) => webhooks.putEndpoint(shopOf(request).shopId, request.body),
  );
  app.get(
    '/v1/webhooks/deliveries',
    {
      schema: {
        tags,
        summary: 'Outbound webhook deliveries, newest first: attempts, failures, what is due',
        querystring: ListQuery,
        response: { 200: Type.Object({ data: Type.Array(DeliveryView), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...problems(400, 401, 429) },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      const page = await webhooks.listDeliveries(shopOf(request).shopId, { limit: limit ?? 50, cursor: cursor ?? null, status: status ?? null });
      return { data: page.data.map(view), nextCursor: page.nextCursor };
    },
  );
};
