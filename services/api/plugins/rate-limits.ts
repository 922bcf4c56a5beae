import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import { DomainError } from '../../core/common/errors.ts';
import { retryAfterSeconds, type RateBudget } from '../../core/common/rate-limit.ts';
import type { SharedRateLimiter } from '../../core/common/rate-limit-redis.ts';
import { addressKey } from './auth-failures.ts';
import { authMode } from './auth.ts';

/** D21: `checkout` (the calls a shopper waits on), `api` (the rest a key does), `anonymous` (no key, per address). */
export type BudgetName = 'api' | 'checkout' | 'anonymous';

export interface RouteRateLimit {
  /** The calls a shopper waits on at checkout draw on the key's `checkout` budget, not its `api` one. */
  budget?: 'checkout';
  /** Decide after the body was read (its signature verified) instead of before anything is looked at. */
  hook?: 'preHandler';
  /** Requests not counted at all (a verified storefront delivery, D21); only with `hook: 'preHandler'`. */
  exempt?: (request: FastifyRequest) => boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** D21: false: never limited (health, readiness, metrics); otherwise how the route is counted. */
    rateLimit?: false | RouteRateLimit;
  }
}

export interface RateLimitsOptions {
  limiter: SharedRateLimiter;
  budgets: Record<BudgetName, RateBudget>;
}

/**
 * D21: every request but the exempt ones draws on one budget: a shop key's `checkout` budget for the checkout
 * routes, its `api` budget for everything else (the operator token has one `api` budget), a client address's
 * `anonymous` budget without a key. Checkout has a budget of its own so that an import, a sync or a loop of the
 * same key never starves the calls a shopper waits on. Registered after authentication: only a key that
 * authenticated gets a budget (failed authentications have their own limit, auth-failures.ts), and guessed keys
 * cannot make new ones. A refused request is `429 rate_limited` with `Retry-After`; every counted answer says where
 * its budget stands (`RateLimit-Limit`, `-Remaining`, `-Reset`).
 */
export const rateLimitsPlugin = fp<RateLimitsOptions>(
  async (app: FastifyInstance, { limiter, budgets }) => {
    const refused = new Counter({
      name: 'lojal_rate_limited_total',
      help: 'Requests refused with 429 by the rate limits, by budget',
      labelNames: ['budget'] as const,
      registers: [app.metrics],
    });
    const local = new Counter({
      name: 'lojal_rate_limit_local_decisions_total',
      help: 'Rate limit decisions this process took alone because Redis did not answer in time',
      registers: [app.metrics],
    });

    const admit = async (request: FastifyRequest, reply: FastifyReply, route: RouteRateLimit | undefined) => {
      const { budget, id } = bucketOf(request, route);
      const decision = await limiter.take(`${budget}:${id}`, budgets[budget]);
      if (!decision.shared) local.inc();
      void reply.header('ratelimit-limit', String(budgets[budget].burst));
      void reply.header('ratelimit-remaining', String(decision.remaining));
      void reply.header('ratelimit-reset', String(Math.ceil(decision.resetMs / 1000)));
      if (decision.allowed) return;
      refused.inc({ budget });
      const wait = retryAfterSeconds(decision);
      void reply.header('retry-after', String(wait));
      throw new DomainError('rate_limited', `Too many requests for this ${budget === 'anonymous' ? 'address' : 'key'}; retry in ${wait} s`);
    };

    app.addHook('onRequest', async (request, reply) => {
      const route = request.routeOptions.config?.rateLimit;
      if (route === false || route?.hook === 'preHandler') return;
      await admit(request, reply, route);
    });
    app.addHook('preHandler', async (request, reply) => {
      const route = request.routeOptions.config?.rateLimit;
      if (!route || route.hook !== 'preHandler' || route.exempt?.(request)) return;
      await admit(request, reply, route);
    });
  },
  { name: 'lojal-rate-limits', dependencies: ['lojal-auth', 'lojal-metrics'] },
);

function bucketOf(request: FastifyRequest, route: RouteRateLimit | undefined): { budget: BudgetName; id: string } {
  // The key's id, not the key: a bucket name in Redis must not be a credential.
  if (request.principal) return { budget: route?.budget === 'checkout' ? 'checkout' : 'api', id: request.principal.keyId };
  if (authMode(request) === 'admin') return { budget: 'api', id: 'operator' };
  return { budget: 'anonymous', id: addressKey(request.ip) };
}
