import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Counter } from 'prom-client';
import { Type } from 'typebox';
import type { Container } from '../../../core/container.ts';
import type { StorefrontEvent } from '../../../core/events/event-service.ts';
import { DomainError, notFound, validationFailed } from '../../../core/common/errors.ts';
import { topicKind } from '../../../core/woocommerce/wc-types.ts';
import { wcSignaturePlugin } from '../../plugins/wc-signatures.ts';
import { LojalId, problems } from '../../schemas.ts';
import { createValidatorCompiler, fieldErrors } from '../../validation.ts';
import { DATA_BY_TYPE } from '../events/schemas.ts';
import { WcAccepted, WcBody, WcCustomer, WcOrder } from './schemas.ts';

const DESCRIPTION =
  'WooCommerce\'s own webhooks, unchanged (docs/woocommerce.md): add them in WooCommerce → Settings → Advanced → ' +
  'Webhooks with this URL, the shop\'s webhook secret and API version v3. No API key: `X-WC-Webhook-Signature` ' +
  '(base64 HMAC-SHA256 of the raw body under the shop\'s webhook secret) is the credential; a missing or wrong one ' +
  'is `401 signature_invalid` and nothing is stored. `X-WC-Webhook-Topic` says what the body is: `order.created` ' +
  'and `order.updated` become `order.paid`, `order.completed`, `order.cancelled` and one `order.refunded` per ' +
  'refund listed (amount only), each under an id made from the order and the transition, so repeated, merged and ' +
  'late deliveries converge; `customer.created` and `customer.updated` become `customer.upserted`; other topics ' +
  '(`order.deleted` too) are answered `ignored`. The creation ping (`webhook_id=N`, form-encoded, unsigned) is ' +
  'answered 200 and applies nothing (404 for an unknown shop). A valid delivery is never refused for volume: a ' +
  'burst waits its turn.';

/** WooCommerce's own webhooks (docs/woocommerce.md). */
export const wooCommerceRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  // WooCommerce sends more than Lojal reads: fields no schema names are let be.
  const compile = createValidatorCompiler({ clock: container.clock, unknownFields: 'keep' });
  const eventsOf = deliveryEvents(container, compile);
  const delivered = new Counter({
    name: 'lojal_woocommerce_deliveries_total',
    help: 'WooCommerce webhook deliveries answered 200, by topic and outcome',
    labelNames: ['topic', 'status'] as const,
    registers: [app.metrics],
  });

  await app.register(wcSignaturePlugin, { woocommerce: container.woocommerce });

  app.post(
    '/v1/shops/:shopId/woocommerce',
    {
      config: {
        auth: 'public',
        idempotent: false,
        // D21: counted after the signature, so a valid delivery is never refused for volume; an unsigned one (the
        // ping) is counted per address as any request; a failed signature never gets here (the failure limit).
        rateLimit: { hook: 'preHandler', exempt: (request: FastifyRequest) => request.wooCommerce?.kind === 'signed' },
      },
      validatorCompiler: ({ httpPart, schema }) => (httpPart === 'body' ? () => true : compile({ schema, httpPart } as never)),
      schema: {
        tags: ['events'],
        summary: 'WooCommerce\'s own webhooks: order.created|updated, customer.created|updated, and the creation ping',
        description: DESCRIPTION,
        params: Type.Object({ shopId: LojalId }),
        body: WcBody as never,
        response: { 200: WcAccepted, ...problems(400, 401, 404, 413, 415, 422, 429) },
      },
    },
    async (request, reply) => {
      const { shopId } = request.params as { shopId: string };
      const delivery = request.wooCommerce;
      if (delivery?.kind === 'ping') {
        if (!(await container.woocommerce.knows(shopId))) {
          app.shopAuthFailures.fail(request.ip);
          throw notFound('Shop');
        }
        return reply.code(200).send({ status: 'ping', events: [] });
      }
      // Only a signed body gets here with content; anything else (no body at all) is no delivery.
      if (delivery?.kind !== 'signed') {
        app.shopAuthFailures.fail(request.ip);
        throw new DomainError('signature_invalid', 'A WooCommerce delivery is application/json, signed with X-WC-Webhook-Signature');
      }
      const topic = request.headers['x-wc-webhook-topic'];
      if (typeof topic !== 'string' || topic === '') {
        throw validationFailed([{ field: 'headers/x-wc-webhook-topic', message: 'is required' }]);
      }
      const events = eventsOf(topic, request.body);
      const outcome = events === null ? { status: 'ignored' as const, events: [] } : await container.woocommerce.apply(shopId, events);
      delivered.inc({ topic: topicKind(topic) === 'ignored' ? 'other' : topic, status: outcome.status });
      return reply.code(200).send(outcome);
    },
  );
};

/** A delivery's events, checked as `POST /v1/events` checks Lojal's own; null for a topic not read. */
function deliveryEvents(container: Container, compile: ReturnType<typeof createValidatorCompiler>) {
  const body = (schema: unknown) => compile({ schema, httpPart: 'body' } as never);
  const bodyValidators = { order: body(WcOrder), customer: body(WcCustomer) };
  const dataValidators = new Map(Object.entries(DATA_BY_TYPE).map(([type, schema]) => [type, body(schema)]));
  return (topic: string, payload: unknown): StorefrontEvent[] | null => {
    const kind = topicKind(topic);
    if (kind === 'ignored') return null;
    const validate = bodyValidators[kind];
    if (!validate(payload)) throw validationFailed(fieldErrors(validate.errors ?? [], ''));
    const events = container.woocommerce.eventsOf(topic, payload) ?? [];
    events.forEach((event, i) => {
      const check = dataValidators.get(event.type)!;
      if (!check(event.data)) throw validationFailed(fieldErrors(check.errors ?? [], `/events/${i}/data`));
    });
    return events;
  };
}
