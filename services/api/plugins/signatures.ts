import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { verifySignature } from '../../core/events/signature.ts';
import type { ShopService } from '../../core/shops/shop-service.ts';
import type { Clock } from '../../core/common/clock.ts';
import { DomainError } from '../../core/common/errors.ts';
import { shopOf } from './auth.ts';

/**
 * D20: storefront events are signed (`Lojal-Signature`); the signature is checked on the raw bytes, in constant
 * time, before anything parses them, and only a signed body is parsed. Registered inside the routes that take
 * signed bodies (it replaces their JSON parser), after authentication has named the shop.
 */
export const signaturePlugin = fp<{ shops: ShopService; clock: Clock }>(
  async (app: FastifyInstance, { shops, clock }) => {
    // Only this parser: Fastify's own text/plain one would hand the route an unsigned body. Any other type is 415
    // unsupported_media_type before anything reads the body.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, async (request: FastifyRequest, body: Buffer) => {
      const header = request.headers['lojal-signature'];
      const signature = typeof header === 'string' ? header : undefined;
      const shopId = shopOf(request).shopId;
      const now = clock.now();
      try {
        verifySignature(signature, body, await shops.webhookSecrets(shopId), now);
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'signature_invalid') throw error;
        // A secret may just have rotated on another process: look again before refusing.
        verifySignature(signature, body, await shops.webhookSecrets(shopId, { fresh: true }), now);
      }
      return JSON.parse(body.toString('utf8'));
    });
  },
  { name: 'lojal-signatures' },
);
