import type { FastifyInstance } from 'fastify';
import type { TestShop } from './app.ts';

export async function putMember(app: FastifyInstance, shop: TestShop, customerId: string, body: Record<string, unknown> = {}) {
  const response = await app.inject({
    method: 'PUT',
    url: `/v1/members/${customerId}`,
    headers: shop.auth,
    payload: { email: `${customerId}@example.com`, emailVerified: true, firstName: 'Ana', lastName: 'Nowak', locale: 'pl', ...body },
  });
  if (response.statusCode >= 300) throw new Error(`member not saved: ${response.statusCode} ${response.body}`);
  return response.json();
}

export function adjust(app: FastifyInstance, shop: TestShop, customerId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: `/v1/members/${customerId}/adjustments`,
    headers: { ...shop.auth, ...headers },
    payload: { reason: 'test', ...body },
  });
}

export async function balanceOf(app: FastifyInstance, shop: TestShop, customerId: string) {
  const response = await app.inject({ method: 'GET', url: `/v1/members/${customerId}`, headers: shop.auth });
  return response.json().balance as { available: number; pending: number; held: number };
}
