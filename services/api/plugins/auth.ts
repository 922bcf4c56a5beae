import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ShopService } from '../../core/shops/shop-service.ts';
import type { ShopPrincipal } from '../../core/shops/shop-types.ts';
import { DomainError } from '../../core/shared/errors.ts';

/** Who may call a route: a shop's key (the default under /v1), the operator token, or anyone. */
export type AuthMode = 'shop' | 'admin' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
  interface FastifyRequest {
    principal: ShopPrincipal | null;
  }
}

export interface AuthOptions {
  shops: ShopService;
  adminToken: string;
}

/**
 * D20: resolves the shop from `Authorization: Bearer <key>` on every /v1 route and rejects everything else with
 * 401 before the body is even read. Routes outside /v1 (health, docs) are public.
 */
export const authPlugin = fp<AuthOptions>(
  async (app: FastifyInstance, { shops, adminToken }) => {
    const adminDigest = digest(adminToken);
    app.decorateRequest('principal', null);

    app.addHook('onRequest', async (request) => {
      const mode = authMode(request);
      if (mode === 'public') return;
      const token = bearerToken(request);
      if (mode === 'admin') {
        if (!token || !timingSafeEqual(digest(token), adminDigest)) throw unauthorized('operator');
        return;
      }
      const principal = token ? await shops.authenticate(token) : null;
      if (!principal) throw unauthorized('shop');
      request.principal = principal;
    });
  },
  { name: 'lojal-auth' },
);

function authMode(request: FastifyRequest): AuthMode {
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
