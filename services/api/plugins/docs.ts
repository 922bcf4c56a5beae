import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Problem } from '../schemas.ts';

export const OPENAPI_INFO = {
  title: 'Lojal API',
  version: '1.0.0',
  description:
    'Headless loyalty points for online shops. Authenticate with `Authorization: Bearer <key>`: a shop\'s API key ' +
    '(`lj_sk_...`) for `/v1`, the operator token for `/v1/admin`; storefront events are also signed ' +
    '(`Lojal-Signature`). Every error is `application/problem+json` (RFC 9457) with a stable snake_case `code` ' +
    'that clients can rely on. POST, PUT and DELETE honour an optional `Idempotency-Key`: a repeat returns the ' +
    'stored answer with `Idempotent-Replayed: true`, the same key with another request is 409 ' +
    '`idempotency_key_reused`. Request bodies take only the fields documented (another is 400 ' +
    '`validation_failed`), except storefront events, which keep fields Lojal does not read. Money is in integer ' +
    'minor units, points are integers, both at most 2^53 - 1 (9007199254740991, the largest integer JSON carries ' +
    'exactly); times are RFC 3339. ' +
    'The domain rules named D1-D21 in these pages are described in docs/rules.md in the Lojal repository.',
};

/** OpenAPI from the TypeBox route schemas (the single source), the interactive docs at /docs. */
export const docsPlugin = fp(
  async (app: FastifyInstance) => {
    app.addSchema(Problem);
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: OPENAPI_INFO,
        servers: [{ url: '/' }],
        tags: [
          { name: 'service', description: 'Health, readiness, metrics' },
          { name: 'operator', description: 'Operator routes (LOJAL_ADMIN_TOKEN)' },
          { name: 'shop', description: "The calling shop (a shop's API key)" },
          { name: 'members', description: 'Members, their balances, activity, adjustments, export and erasure' },
          { name: 'ledger', description: 'The points ledger and its integrity check (D13)' },
          { name: 'program', description: 'Program settings: earning, pending days, expiry, redemption, bonuses' },
          { name: 'tiers', description: 'Tiers (D9): configuration, a member\'s history, tiers set by hand' },
          { name: 'rules', description: 'Earning rules and campaigns (D12), versioned' },
          { name: 'earning', description: 'What a cart or product would earn now: "earn N points" (D2)' },
          { name: 'events', description: 'Signed order and customer events from storefronts' },
          { name: 'orders', description: 'Orders, their awards and reversals' },
          { name: 'redemptions', description: 'Spending points at checkout: quote, hold, commit, cancel (D6)' },
          { name: 'jobs', description: 'Run the scheduled jobs now, as of a given time (D18)' },
          { name: 'imports', description: 'Points carried over from another system, idempotent per reference' },
          { name: 'webhooks', description: "The shop's outbound webhooks: its endpoint and the deliveries (D16)" },
        ],
        components: {
          securitySchemes: {
            shopKey: { type: 'http', scheme: 'bearer', description: "A shop's secret API key, lj_sk_..." },
            adminToken: { type: 'http', scheme: 'bearer', description: 'The operator token, LOJAL_ADMIN_TOKEN' },
          },
        },
        security: [{ shopKey: [] }],
      },
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { deepLinking: true } });
    app.get('/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, async () => app.swagger());
  },
  { name: 'lojal-docs' },
);
