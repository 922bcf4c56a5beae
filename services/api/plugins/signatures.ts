import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { verifySignature } from '../../core/events/signature.ts';
import type { ShopService } from '../../core/shops/shop-service.ts';
import type { Clock } from '../../core/common/clock.ts';
import { DomainError } from '../../core/common/errors.ts';
import { shopOf } from './auth.ts';
import { failureLimiter, refuseRetryAfter } from './auth-failures.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** True once the body's `Lojal-Signature` was verified (the route's rate limit lets such a request through). */
    lojalSigned: boolean;
  }
}

/**
 * D20: storefront events are signed (`Lojal-Signature`); the signature is checked on the raw bytes, in constant
 * time, before anything parses them, and only a signed body is parsed. Registered inside the routes that take
 * signed bodies (it replaces their JSON parser), after authentication has named the shop.
 *
 * D21: a verified event is marked (`lojalSigned`) so its route's rate limit lets it through: a storefront's orders
 * are never refused for volume. Failed signatures are counted per shop (its key authenticated; only the secret is
 * wrong), so a shop past `failuresPerMinute` of them gets 429 with Retry-After before anything is verified, and
 * other shops behind the same address are not held up by it.
 */
export const signaturePlugin = fp<{ shops: ShopService; clock: Clock; failuresPerMinute: number }>(
  async (app: FastifyInstance, { shops, clock, failuresPerMinute }) => {
    const failures = failureLimiter({ maxFailures: failuresPerMinute });
    const verify = async (shopId: string, signature: string | undefined, body: Buffer, now: Date) => {
      try {
        verifySignature(signature, body, await shops.webhookSecrets(shopId), now);
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'signature_invalid') throw error;
        // A secret may just have rotated on another process: look again before refusing.
        verifySignature(signature, body, await shops.webhookSecrets(shopId, { fresh: true }), now);
      }
    };
    app.decorateRequest('lojalSigned', false);
    app.addHook('onRequest', async (request, reply) => {
      const wait = failures.retryAfterSeconds(shopOf(request).shopId);
      if (wait > 0) refuseRetryAfter(reply, wait, `Too many events with a wrong signature; retry in ${wait} s`);
    });
    // Only this parser: Fastify's own text/plain one would hand the route an unsigned body. Any other type is 415
    // unsupported_media_type before anything reads the body.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, async (request: FastifyRequest, body: Buffer) => {
      const header = request.headers['lojal-signature'];
      const signature = typeof header === 'string' ? header : undefined;
      const shopId = shopOf(request).shopId;
      const now = clock.now();
      try {
        await verify(shopId, signature, body, now);
      } catch (error) {
        if (error instanceof DomainError && error.code.startsWith('signature_')) failures.fail(shopId);
        throw error;
      }
      request.lojalSigned = true;
      return JSON.parse(body.toString('utf8'));
    });
  },
  { name: 'lojal-signatures' },
);
