import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ShopService } from '../../core/shops/shop-service.ts';
import type { ShopPrincipal } from '../../core/shops/shop-types.ts';
import { DomainError } from '../../core/common/errors.ts';
import { hashApiKey } from '../../core/common/secrets.ts';
import { addressKey, failureLimiter, recentSuccesses, refuseRetryAfter } from './auth-failures.ts';

/** Who may call a route: a shop's key (the default under /v1), the operator token, or anyone. */
export type AuthMode = 'shop' | 'admin' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
  interface FastifyRequest {
    principal: ShopPrincipal | null;
  }
  interface FastifyInstance {
    /** Failed shop authentications per client address, for routes that authenticate shops another way. */
    shopAuthFailures: { retryAfterSeconds(ip: string): number; fail(ip: string): void };
  }
}

export interface AuthOptions {
  shops: ShopService;
  adminToken: string;
  /** Failed authentications per client address and minute before it gets 429 (docs/operations.md: Limits). */
  failuresPerMinute: number;
}


/**
 * D20: resolves the shop from `Authorization: Bearer <key>` on every /v1 route and rejects everything else with
 * 401 before the body is even read. Routes outside /v1 (health, docs) are public.
 *
 * Failed authentications are counted per client address, shop keys and the operator token apart; an address over
 * `failuresPerMinute` gets 429 with Retry-After before any lookup. A shop key that authenticated in the last hour
 * still goes through from a blocked address: many storefronts may share one address (a shared host, a proxy in
 * front of Lojal), and one of them failing must not stop the others. A guess is never such a key. The operator
 * token gets no such pass: its check is free, and answering a right guess while refusing wrong ones would leave
 * guessing unlimited (operators have the `lojal` command meanwhile).
 */
export const authPlugin = fp<AuthOptions>(
  async (app: FastifyInstance, { shops, adminToken, failuresPerMinute }) => {
    const adminDigest = digest(adminToken);
    const failures = failureLimiter({ maxFailures: failuresPerMinute });
    const knownGood = recentSuccesses();
    app.decorateRequest('principal', null);
    // One count per address for every way a shop authenticates: a key, or a WooCommerce signature.
    app.decorate('shopAuthFailures', {
      retryAfterSeconds: (ip: string) => failures.retryAfterSeconds(`shop:${addressKey(ip)}`),
      fail: (ip: string) => failures.fail(`shop:${addressKey(ip)}`),
    });

    app.addHook('onRequest', async (request, reply) => {
      const mode = authMode(request);
      if (mode === 'public') return;
      const token = bearerToken(request);
      const bucket = `${mode}:${addressKey(request.ip)}`;
      // A shop key's hash, computed once: the key cache and the recent successes both go by it.
      const keyHash = mode === 'shop' && token ? hashApiKey(token) : '';
      const known = keyHash !== '' && knownGood.has(keyHash);
      const wait = known ? 0 : failures.retryAfterSeconds(bucket);
      if (wait > 0) refuseRetryAfter(reply, wait, `Too many failed authentications from this address; retry in ${wait} s`);
      if (mode === 'admin') {
        if (token && timingSafeEqual(digest(token), adminDigest)) return;
        failures.fail(bucket);
        throw unauthorized('operator');
      }
      const principal = token ? await shops.authenticate(token, keyHash) : null;
      if (!principal) {
        failures.fail(bucket);
        throw unauthorized('shop');
      }
      knownGood.add(keyHash);
      request.principal = principal;
    });
  },
  { name: 'lojal-auth' },
);


/** Who may call the request's route (the rate limits count the operator apart from addresses). */
export function authMode(request: FastifyRequest): AuthMode {
  const configured = request.routeOptions.config?.auth;
  if (configured) return configured;
  // Unmatched routes have no config: under /v1 they are still behind a key, so nothing is learnt unauthenticated.
  return request.url.startsWith('/v1/') ? 'shop' : 'public';
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The shop of an authenticated request; routes behind `auth: 'shop'` always have one. */
export function shopOf(request: FastifyRequest): ShopPrincipal {
  if (!request.principal) throw unauthorized('shop');
  return request.principal;
}

function unauthorized(kind: 'shop' | 'operator'): DomainError {
  return new DomainError(
    'unauthorized',
    kind === 'shop'
      ? 'A valid shop API key is required: Authorization: Bearer lj_sk_...'
      : 'The operator token is required: Authorization: Bearer <LOJAL_ADMIN_TOKEN>',
  );
}
