import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Container } from '../../../core/container.ts';
import { shopOf } from '../../plugins/auth.ts';
import { problems } from '../../schemas.ts';
import { ProgramChanges, ProgramView } from './schemas.ts';

/** The program's settings (docs/events.md: Program and rules). */
export const programRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  app.get(
    '/v1/program',
    {
      schema: { tags: ['program'], summary: "The shop's program settings, defaults filled in", response: { 200: ProgramView, ...problems(401, 429) } },
    },
    async (request) => container.program.get(shopOf(request).shopId),
  );

  app.put(
    '/v1/program',
    {
      schema: {
        tags: ['program'],
        summary: 'Change program settings; fields left out keep their values',
        body: ProgramChanges,
        response: { 200: ProgramView, ...problems(400, 401, 429) },
      },
    },
    async (request) => container.program.update(shopOf(request).shopId, request.body),
  );
};
