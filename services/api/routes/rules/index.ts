import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Container } from '../../../core/container.ts';
import type { Rule } from '../../../core/rules/rule-service.ts';
import { shopOf } from '../../plugins/auth.ts';
import { ifMatchOf, IfMatchHeaders, setEtag } from '../../preconditions.ts';
import { Decimal, LojalId, Money, problems, Timestamp } from '../../schemas.ts';

const Ids = Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 1000 }); // match keys (categories are names): only the NUL check
export const RuleBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  active: Type.Boolean({ default: true }),
  startsAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
  endsAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
  conditions: Type.Object(
    {
      productIds: Type.Optional(Ids),
      skus: Type.Optional(Ids),
      categories: Type.Optional(Ids),
      minOrderAmount: Type.Optional(Money()),
      tiers: Type.Optional(Ids),
      firstOrder: Type.Optional(Type.Boolean()),
    },
    { default: {} },
  ),
  effect: Type.Object({
    multiplier: Type.Optional(Decimal(2, { minimum: 0, maximum: 100 })),
    bonusPoints: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    per: Type.Union([Type.Literal('line'), Type.Literal('order')]),
  }),
  stackable: Type.Boolean({ default: false }),
});
const RuleView = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  ...RuleBody.properties,
  startsAt: Type.Union([Timestamp, Type.Null()]),
  endsAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
const RuleParams = Type.Object({ ruleId: LojalId });
const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
});

const tags = ['rules'];

function view(rule: Rule) {
  return {
    ...rule,
    startsAt: rule.startsAt?.toISOString() ?? null,
    endsAt: rule.endsAt?.toISOString() ?? null,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}

/** One rule's view, with its version as the ETag. */
function versioned(reply: FastifyReply, rule: Rule) {
  setEtag(reply, rule.version);
  return view(rule);
}

function input(body: Static<typeof RuleBody>) {
  return {
    ...body,
    startsAt: body.startsAt ? new Date(body.startsAt) : null,
    endsAt: body.endsAt ? new Date(body.endsAt) : null,
  };
}

/** Earning rules and campaigns (D12), versioned. */
export const ruleRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  const { rules } = container;
  app.get(
    '/v1/rules',
    {
      schema: {
        tags,
        summary: 'The shop’s rules',
        querystring: ListQuery,
        response: { 200: Type.Object({ data: Type.Array(RuleView), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...problems(400, 401, 429) },
      },
    },
    async (request) => {
      const page = await rules.list(shopOf(request).shopId, request.query.limit ?? 50, request.query.cursor ?? null);
      return { data: page.data.map(view), nextCursor: page.nextCursor };
    },
  );
  app.post(
    '/v1/rules',
    { schema: { tags, summary: 'Create a rule', body: RuleBody, response: { 201: RuleView, ...problems(400, 401, 429) } } },
    async (request, reply) => reply.code(201).send(versioned(reply, await rules.create(shopOf(request).shopId, input(request.body)))),
  );
  app.get(
    '/v1/rules/:ruleId',
    { schema: { tags, summary: 'A rule; ETag: its version', params: RuleParams, response: { 200: RuleView, ...problems(401, 404, 429) } } },
    async (request, reply) => versioned(reply, await rules.get(shopOf(request).shopId, request.params.ruleId)),
  );
  app.put(
    '/v1/rules/:ruleId',
    {
      schema: {
        tags,
        summary: 'Replace a rule (a new version; earlier awards keep theirs). If-Match: only at that version',
        params: RuleParams,
        headers: IfMatchHeaders,
        body: RuleBody,
        response: { 200: RuleView, ...problems(400, 401, 404, 412, 429) },
      },
    },
    async (request, reply) =>
      versioned(reply, await rules.update(shopOf(request).shopId, request.params.ruleId, input(request.body), ifMatchOf(request))),
  );
  app.delete(
    '/v1/rules/:ruleId',
    {
      schema: {
        tags,
        summary: 'Delete a rule (it stops applying; its versions stay). If-Match: only at that version',
        params: RuleParams,
        headers: IfMatchHeaders,
        response: { 204: { type: 'null', description: 'Deleted' }, ...problems(401, 404, 412, 429) },
      },
    },
    async (request, reply) => {
      await rules.remove(shopOf(request).shopId, request.params.ruleId, ifMatchOf(request));
      return reply.code(204).send(null);
    },
  );
};
