import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Container } from '../core/container.ts';
import { authPlugin } from './plugins/auth.ts';
import { docsPlugin } from './plugins/docs.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { idempotencyPlugin } from './plugins/idempotency.ts';
import { rateLimitsPlugin } from './plugins/rate-limits.ts';
import { textInputPlugin } from './plugins/text-input.ts';
import { adminRoutes } from './routes/admin/index.ts';
import { ledgerRoutes } from './routes/ledger/index.ts';
import { memberRoutes } from './routes/members/index.ts';
import { programRoutes } from './routes/program/index.ts';
import { tierRoutes } from './routes/tiers/index.ts';
import { ruleRoutes } from './routes/rules/index.ts';
import { eventRoutes } from './routes/events/index.ts';
import { jobRoutes } from './routes/jobs/index.ts';
import { redemptionRoutes } from './routes/redemptions/index.ts';
import { orderRoutes } from './routes/orders/index.ts';
import { serviceRoutes } from './routes/service/index.ts';
import { shopRoutes } from './routes/shop/index.ts';
import { unsubscribeRoutes } from './routes/unsubscribe/index.ts';
import { webhookRoutes } from './routes/webhooks/index.ts';
import { feedbackRoutes } from './routes/feedback/index.ts';
import { earningRoutes } from './routes/earning/index.ts';
import { importRoutes } from './routes/imports/index.ts';
import { wooCommerceRoutes } from './routes/woocommerce/index.ts';
import { loggerOptions } from '../core/common/logging.ts';
import { sharedRateLimiter } from '../core/common/rate-limit-redis.ts';
import { createValidatorCompiler } from './validation.ts';
import { ID_MAX_LENGTH } from './schemas.ts';
import { clientErrorHandler, frameworkErrors } from './transport-errors.ts';
import { accessLog } from './access-log.ts';
import { lazyRequestLogger } from './request-log.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

/** The worker running in this process (`npm start`): its schedules show on /readyz, its metrics on /metrics. */
export interface InProcessWorker {
  schedules(): 'ok' | 'missing';
  metrics: Registry;
}

export interface BuildAppOptions {
  container: Container;
  worker?: InProcessWorker;
  /** A pino logger to share with the rest of the process; without one, JSON logs at LOG_LEVEL. */
  logger?: FastifyBaseLogger;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the API without listening (server.ts listens); tests use `inject()`. */
export async function buildApp({ container, logger, worker }: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = container;
  void container.redis; // connect now, so /readyz answers from a warm connection and an absent Redis is said at start
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: loggerOptions(config.logLevel) }),
    bodyLimit: config.bodyLimitBytes,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // One access-log line per request (access-log.ts), not Fastify's two: at a storefront's event rate the second
    // line doubled the cost of logging for nothing the first did not say.
    logController: new LogController({ disableRequestLogging: true }),
    // Each request's logger is made on its first line (request-log.ts): most requests write none of their own.
    childLoggerFactory: lazyRequestLogger,
    // Every id the schemas take must reach its route: the router counts UTF-16 units of the decoded segment, the
    // schemas count characters (one outside the BMP is two units), so twice the id limit; longer is 414.
    routerOptions: { maxParamLength: 2 * ID_MAX_LENGTH },
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(createValidatorCompiler({ clock: container.clock }));
  accessLog(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    reply.header('x-request-id', request.id);
    // D19, D20: every /v1 answer is one shop's (members, orders, keys and secrets): no cache may keep a copy. A
    // route may say otherwise for its own answer (the earning quote: private, a minute).
    if (request.url.startsWith('/v1/')) reply.header('cache-control', 'no-store');
  });

  await app.register(errorsPlugin);
  await app.register(textInputPlugin);
  await app.register(metricsPlugin, { extra: worker?.metrics, pool: container.database.pool });
  await app.register(docsPlugin);
  await app.register(authPlugin, { shops: container.shops, adminToken: config.adminToken, failuresPerMinute: config.authFailuresPerMinute });
  await app.register(rateLimitsPlugin, {
    limiter: sharedRateLimiter({ redis: container.redis, prefix: config.queuePrefix, logger: app.log }),
    budgets: {
      api: { perMinute: config.rateLimitPerMinute, burst: config.rateLimitBurst },
      checkout: { perMinute: config.rateLimitCheckoutPerMinute, burst: config.rateLimitCheckoutBurst },
      anonymous: { perMinute: config.rateLimitAnonymousPerMinute, burst: config.rateLimitAnonymousBurst },
    },
  });
  await app.register(idempotencyPlugin, { idempotency: container.idempotency });

  await app.register(serviceRoutes, { container, worker });
  await app.register(adminRoutes, { container });
  await app.register(shopRoutes, { container });
  await app.register(memberRoutes, { container });
  await app.register(ledgerRoutes, { container });
  await app.register(programRoutes, { container });
  await app.register(tierRoutes, { container });
  await app.register(ruleRoutes, { container });
  await app.register(earningRoutes, { container });
  await app.register(eventRoutes, { container });
  await app.register(wooCommerceRoutes, { container });
  await app.register(orderRoutes, { container });
  await app.register(jobRoutes, { container });
  await app.register(redemptionRoutes, { container });
  await app.register(unsubscribeRoutes, { container });
  await app.register(webhookRoutes, { container });
  await app.register(feedbackRoutes, { container });
  await app.register(importRoutes, { container });
  return app;
}
