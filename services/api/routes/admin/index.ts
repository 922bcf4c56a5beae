import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Container } from '../../../core/container.ts';
import type { Shop } from '../../../core/shops/shop-types.ts';
import { problems } from '../../schemas.ts';
import * as S from './schemas.ts';

const security = [{ adminToken: [] }];

/** Operator routes (docs/operations.md), behind LOJAL_ADMIN_TOKEN. */
export const adminRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  shopRoutes(app, container);
  credentialRoutes(app, container);
};

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/** Shops: create, read, list keys. */
function shopRoutes(app: App, container: Container): void {
  app.post(
    '/v1/admin/shops',
    {
      // D20: with an Idempotency-Key the stored response (the key and secret) is encrypted at rest.
      config: { auth: 'admin', sealResponse: true },
      schema: {
        tags: ['operator'],
        summary: 'Create a shop; its API key and webhook secret are shown once',
        security,
        body: S.CreateShopBody,
        response: { 201: S.CreatedShop, ...problems(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const created = await container.shops.createShop(request.body);
      return reply.code(201).send({ ...created, shop: shopView(created.shop) });
    },
  );

  app.get(
    '/v1/admin/shops/:shopId',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['operator'],
        summary: 'A shop and its API keys (prefixes only)',
        security,
        params: S.ShopIdParams,
        response: { 200: S.ShopDetail, ...problems(401, 404, 429) },
      },
    },
    async (request) => {
      const shop = await container.shops.getShop(request.params.shopId);
      const keys = await container.shops.listApiKeys(shop.id);
      return {
        shop: shopView(shop),
        apiKeys: keys.map((k) => ({
          ...k,
          createdAt: k.createdAt.toISOString(),
          expiresAt: k.expiresAt?.toISOString() ?? null,
          revokedAt: k.revokedAt?.toISOString() ?? null,
        })),
      };
    },
  );
}

/** Credentials: rotate and revoke (D20). */
function credentialRoutes(app: App, container: Container): void {
  app.post(
    '/v1/admin/shops/:shopId/rotate-secrets',
    {
      config: { auth: 'admin', sealResponse: true },
      schema: {
        tags: ['operator'],
        summary: 'New API key and webhook secret; the old ones keep working for overlapHours (24 by default)',
        security,
        params: S.ShopIdParams,
        body: S.RotateBody,
        response: { 200: S.Rotated, ...problems(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const rotated = await container.shops.rotateSecrets(request.params.shopId, request.body?.overlapHours);
      return { ...rotated, previousExpireAt: rotated.previousExpireAt.toISOString() };
    },
  );

  app.delete(
    '/v1/admin/shops/:shopId/api-keys/:keyId',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['operator'],
        summary: 'Revoke an API key at once',
        security,
        params: S.KeyParams,
        response: { 204: { type: 'null', description: 'Revoked' }, ...problems(401, 404, 429) },
      },
    },
    async (request, reply) => {
      await container.shops.revokeApiKey(request.params.shopId, request.params.keyId);
      return reply.code(204).send(null);
    },
  );
}

function shopView(shop: Shop) {
  return { ...shop, createdAt: shop.createdAt.toISOString() };
}
