import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Container } from '../../../core/container.ts';
import { validationFailed } from '../../../core/common/errors.ts';
import { settingsVersion } from '../../../core/program/program-service.ts';
import { shopOf } from '../../plugins/auth.ts';
import { ifMatchOf, IfMatchHeaders, setEtag } from '../../preconditions.ts';
import { problems } from '../../schemas.ts';
import { CustomerParams, MemberView } from '../members/schemas.ts';
import { memberView } from '../members/views.ts';
import * as S from './schemas.ts';

const tags = ['tiers'];

/** D9: the shop's tiers, a member's tier history and a tier set by hand (docs/tiers.md). */
export const tierRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  const { tiers } = container;

  app.get(
    '/v1/tiers',
    { schema: { tags, summary: "The shop's tiers (an empty list: none); ETag: their version", response: { 200: S.TierConfigBody, ...problems(401, 429) } } },
    async (request, reply) => {
      const config = await tiers.config(shopOf(request).shopId);
      setEtag(reply, settingsVersion(config));
      return config;
    },
  );

  app.put(
    '/v1/tiers',
    {
      schema: {
        tags,
        summary: 'Replace the tiers; the tiers job re-evaluates members (upgrades at once, no downgrade outside the grace rules)',
        headers: IfMatchHeaders,
        body: S.TierConfigBody,
        response: { 200: S.TierConfigBody, ...problems(400, 401, 412, 429) },
      },
    },
    async (request, reply) => {
      const config = await tiers.update(shopOf(request).shopId, request.body, ifMatchOf(request));
      setEtag(reply, settingsVersion(config));
      return config;
    },
  );

  memberTierRoutes(app, container);
};

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/** A member's tier history, and its tier set by hand. */
function memberTierRoutes(app: App, container: Container): void {
  const { tiers, members } = container;
  app.get(
    '/v1/members/:customerId/tiers',
    {
      schema: {
        tags,
        summary: "The member's tier changes, newest first",
        params: CustomerParams,
        querystring: S.TierHistoryQuery,
        response: { 200: S.TierHistoryPage, ...problems(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const { limit = 50, cursor } = request.query;
      const member = await members.get(shopOf(request).shopId, request.params.customerId);
      const rows = await tiers.history(member, limit + 1, cursor ? decodeCursor(cursor) : null);
      const data = rows.slice(0, limit);
      const last = data[data.length - 1];
      return {
        data: data.map((r) => ({ from: r.from, to: r.to, reason: r.reason, note: r.note, actor: r.actor, at: r.at.toISOString() })),
        nextCursor: rows.length > limit && last ? Buffer.from(`t${last.id}`).toString('base64url') : null,
      };
    },
  );

  app.put(
    '/v1/members/:customerId/tier',
    {
      schema: {
        tags,
        summary: "Set the member's tier by hand, with a reason (recorded as manual); until: no downgrade before then",
        params: CustomerParams,
        body: S.ManualTierBody,
        response: { 200: MemberView, ...problems(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const principal = shopOf(request);
      const { tierId, reason, until } = request.body;
      const member = await tiers.setByHand(principal.shopId, request.params.customerId, { tierId, reason, until: until ? new Date(until) : null }, principal.keyId);
      return memberView(member, await members.expiring(member), await tiers.standing(member));
    },
  );
}

function decodeCursor(cursor: string): number {
  const match = /^t(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || Buffer.from(`t${match[1]}`).toString('base64url') !== cursor) {
    throw validationFailed([{ field: 'query/cursor', message: 'is not a cursor this API gave out' }]);
  }
  return Number(match[1]);
}
