import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Container } from '../../../core/container.ts';
import { shopOf } from '../../plugins/auth.ts';
import { problems } from '../../schemas.ts';
import { rewardRoutes } from './rewards.ts';
import * as S from './schemas.ts';
import { entryView, exportView, memberView } from './views.ts';

const tags = ['members'];

/** Members addressed by the shop's own customer id (docs/ledger.md). */
export const memberRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  profileRoutes(app, container);
  ledgerRoutes(app, container);
  rewardRoutes(app, container);
};

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/** A member: its profile and balance, and its activity. */
function profileRoutes(app: App, container: Container): void {
  const { members, tiers } = container;

  async function view(shopId: string, customerId: string) {
    const member = await members.get(shopId, customerId);
    return memberView(member, await members.expiring(member), await tiers.standing(member));
  }
  app.put(
    '/v1/members/:customerId',
    {
      schema: {
        tags,
        summary: 'Create a member or replace its profile',
        params: S.CustomerParams,
        body: S.PutMemberBody,
        response: { 200: S.MemberView, 201: S.MemberView, ...problems(400, 401, 409, 410, 422, 429) },
      },
    },
    async (request, reply) => {
      const { shopId } = shopOf(request);
      const b = request.body;
      // D10: a verified e-mail claims the guest orders placed with it, in the same transaction.
      const { member, created } = await members.upsert(shopId, request.params.customerId, b);
      return reply.code(created ? 201 : 200).send(memberView(member, await members.expiring(member), await tiers.standing(member)));
    },
  );

  app.get(
    '/v1/members/:customerId',
    {
      schema: {
        tags,
        summary: 'A member with its balance, lifetime figures and expiring points',
        params: S.CustomerParams,
        response: { 200: S.MemberView, ...problems(401, 404, 429) },
      },
    },
    async (request) => view(shopOf(request).shopId, request.params.customerId),
  );

  app.get(
    '/v1/members/:customerId/activity',
    {
      schema: {
        tags,
        summary: "The member's ledger entries, newest first",
        params: S.CustomerParams,
        querystring: S.ActivityQuery,
        response: { 200: S.ActivityPage, ...problems(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const { limit = 50, cursor } = request.query;
      const page = await members.activity(shopOf(request).shopId, request.params.customerId, limit, cursor ?? null);
      return { data: page.data.map(entryView), nextCursor: page.nextCursor };
    },
  );
}

/** Adjustments, export and erasure (D13, D19). */
function ledgerRoutes(app: App, container: Container): void {
  const { members, ledger } = container;
  app.post(
    '/v1/members/:customerId/adjustments',
    {
      schema: {
        tags,
        summary: 'Credit or debit points by hand, with a reason (audited)',
        params: S.CustomerParams,
        body: S.AdjustmentBody,
        response: { 201: S.EntryView, ...problems(400, 401, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const principal = shopOf(request);
      const { points, reason, expiresAt, allowNegative, by } = request.body;
      const { entry } = await ledger.adjust(
        principal.shopId,
        request.params.customerId,
        { points, reason, expiresAt: expiresAt ? new Date(expiresAt) : null, allowNegative: allowNegative ?? false, by: by ?? null },
        principal.keyId,
      );
      return reply.code(201).send(entryView(entry));
    },
  );

  app.get(
    '/v1/members/:customerId/export',
    {
      schema: {
        tags,
        summary: 'The member, its whole ledger and its orders as JSON (D19)',
        params: S.CustomerParams,
        response: { 200: S.ExportView, ...problems(401, 404, 429) },
      },
    },
    async (request) => exportView(await members.export(shopOf(request).shopId, request.params.customerId)),
  );

  app.delete(
    '/v1/members/:customerId',
    {
      schema: {
        tags,
        summary: 'Erase the personal data; the anonymised ledger stays (D19)',
        params: S.CustomerParams,
        response: { 204: { type: 'null', description: 'Erased' }, ...problems(401, 404, 429) },
      },
    },
    async (request, reply) => {
      await members.erase(shopOf(request).shopId, request.params.customerId);
      return reply.code(204).send(null);
    },
  );
}
