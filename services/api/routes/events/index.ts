import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Counter } from 'prom-client';
import type { Container } from '../../../core/container.ts';
import type { StorefrontEvent } from '../../../core/events/event-service.ts';
import { DomainError, validationFailed } from '../../../core/common/errors.ts';
import { shopOf } from '../../plugins/auth.ts';
import { signaturePlugin } from '../../plugins/signatures.ts';
import { problems } from '../../schemas.ts';
import { createValidatorCompiler, fieldErrors } from '../../validation.ts';
import { Accepted, DATA_BY_TYPE, Envelope, EventBody } from './schemas.ts';

/** Signed storefront events (docs/events.md). */
export const eventRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  // Storefronts send more than Lojal reads: fields no schema names are kept, not refused.
  const compile = createValidatorCompiler({ clock: container.clock, unknownFields: 'keep' });
  const applied = new Counter({
    name: 'lojal_storefront_events_total',
    help: 'Storefront events accepted, by type, outcome and path (optimistic: two round trips; locked: a transaction)',
    labelNames: ['type', 'status', 'path'] as const,
    registers: [app.metrics],
  });
  // Group commit (core/orders/order-award-batch.ts): shared statements, and the events they carried.
  const batched = (name: string, help: string, pick: (s: { batches: number; items: number }) => number) =>
    new Counter({
      name, help, labelNames: ['statement'] as const, registers: [app.metrics],
      collect() {
        const stats = container.orderEvents.batchStats();
        this.reset();
        this.inc({ statement: 'read' }, pick(stats.reads));
        this.inc({ statement: 'write' }, pick(stats.writes));
      },
    });
  batched('lojal_group_commit_statements_total', 'Shared statements of the order events\' lock-free path, by statement', (s) => s.batches);
  batched('lojal_group_commit_events_total', 'Order events carried by those shared statements, by statement', (s) => s.items);
  const envelopeValidator = compile({ schema: Envelope, httpPart: 'body' } as never);
  const dataValidators = new Map(Object.entries(DATA_BY_TYPE).map(([type, schema]) => [type, compile({ schema, httpPart: 'body' } as never)]));

  // D20: only a body signed with the shop's webhook secret is parsed (in this plugin's scope: these routes only).
  await app.register(signaturePlugin, { shops: container.shops, clock: container.clock, failuresPerMinute: container.config.authFailuresPerMinute });

  app.post(
    '/v1/events',
    {
      config: {
        idempotent: false,
        // D21: counted after the signature, so a signed event is never refused for volume and draws on none of the
        // key's budgets; a failed signature never gets here (failed signatures have their own limit per shop,
        // plugins/signatures.ts).
        rateLimit: { hook: 'preHandler', exempt: (request: FastifyRequest) => request.lojalSigned },
      },
      // The envelope first, then `data` against its type's schema: an unknown type is 422, not a schema error.
      validatorCompiler: ({ httpPart }) => (httpPart === 'body' ? envelopeValidator : () => true),
      schema: {
        tags: ['events'],
        summary: 'A signed storefront event: customer.upserted, order.placed|paid|completed|cancelled|refunded',
        description:
          'Headers: `Authorization: Bearer <apiKey>` and `Lojal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(webhookSecret, "<t>.<raw body>")>`. ' +
          'Deduplicated by event id (30 days) and by business effect: an order is awarded once, a refund id is applied once.',
        body: EventBody,
        response: { 202: Accepted, ...problems(400, 401, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const event = request.body as unknown as StorefrontEvent;
      const validate = dataValidators.get(event.type);
      if (!validate) {
        throw new DomainError('unsupported_event_type', `Unknown event type "${event.type}"`, { supported: [...dataValidators.keys()] });
      }
      if (!validate(event.data)) {
        throw validationFailed(fieldErrors(validate.errors ?? [], '/data'));
      }
      const { id, status, path } = await container.events.ingest(shopOf(request).shopId, event);
      applied.inc({ type: event.type, status, path });
      return reply.code(202).send({ id, status });
    },
  );
};
