import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../../core/common/errors.ts';
import { recentSuccesses, refuseRetryAfter } from './auth-failures.ts';
import type { WooCommerceService } from '../../core/woocommerce/wc-service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** What reached a WooCommerce route: a delivery whose signature was checked, or the creation ping. */
    wooCommerce: { kind: 'signed' } | { kind: 'ping'; webhookId: string } | null;
  }
}

/**
 * D20, D21: WooCommerce's own webhooks carry no key, so the shop in the path and the signature are the only
 * credentials. `X-WC-Webhook-Signature` is checked on the raw bytes, in constant time, against the shop's live
 * webhook secrets before anything parses them; only a signed body is parsed. A failure counts against the client
 * address as a failed authentication does, and an address over the limit is refused with 429 before anything is
 * read or looked up, unless it names a shop whose deliveries verified in the last hour: many shops share a host,
 * and one of them misconfigured must not stop the others. Registered inside the WooCommerce route's scope.
 */
export const wcSignaturePlugin = fp<{ woocommerce: WooCommerceService }>(
  async (app: FastifyInstance, { woocommerce }) => {
    const knownGood = recentSuccesses();
    app.decorateRequest('wooCommerce', null);

    app.addHook('onRequest', async (request, reply) => {
      if (knownGood.has(shopIdOf(request))) return;
      const wait = app.shopAuthFailures.retryAfterSeconds(request.ip);
      if (wait > 0) refuseRetryAfter(reply, wait, `Too many failed authentications from this address; retry in ${wait} s`);
    });

    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, async (request: FastifyRequest, body: Buffer) => {
      const shopId = shopIdOf(request);
      const header = request.headers['x-wc-webhook-signature'];
      const signature = typeof header === 'string' ? header : undefined;
      // A secret may just have rotated on another process: the service looks again before refusing, unless the
      // address is over its limit (it got here naming a known shop): then its failures cost no lookup.
      const lookAgain = app.shopAuthFailures.retryAfterSeconds(request.ip) === 0;
      const valid = await woocommerce.verify(shopId, signature, body, lookAgain);
      if (!valid) {
        app.shopAuthFailures.fail(request.ip);
        throw new DomainError('signature_invalid', "X-WC-Webhook-Signature is missing or does not match the body under the shop's webhook secret");
      }
      knownGood.add(shopId);
      request.wooCommerce = { kind: 'signed' };
      try {
        return JSON.parse(body.toString('utf8'));
      } catch {
        throw new DomainError('invalid_json', 'The request body is not valid JSON');
      }
    });

    // The ping WooCommerce sends when a webhook is created (`webhook_id=N`), unsigned: acknowledged, never applied.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, async (request: FastifyRequest, body: string) => {
      const ping = /^webhook_id=([0-9]{1,20})$/.exec(String(body).trim());
      if (!ping) {
        throw new DomainError('unsupported_media_type', 'Only the creation ping (webhook_id=N) is taken form-encoded; deliveries are application/json');
      }
      request.wooCommerce = { kind: 'ping', webhookId: ping[1]! };
      return {};
    });
  },
  { name: 'lojal-wc-signatures' },
);

function shopIdOf(request: FastifyRequest): string {
  return (request.params as { shopId?: string } | undefined)?.shopId ?? '';
}
