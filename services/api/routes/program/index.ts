import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Container } from '../../../core/container.ts';
import { settingsVersion } from '../../../core/program/program-service.ts';
import { shopOf } from '../../plugins/auth.ts';
import { ifMatchOf, IfMatchHeaders, setEtag } from '../../preconditions.ts';
import { problems } from '../../schemas.ts';
import { ProgramChanges, ProgramView } from './schemas.ts';

/** The program's settings (docs/events.md: Program and rules); the ETag is their version. */
export const programRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  app.get(
    '/v1/program',
    {
      schema: {
        tags: ['program'],
        summary: "The shop's program settings, defaults filled in; ETag: their version",
        response: { 200: ProgramView, ...problems(401, 429) },
      },
    },
    async (request, reply) => {
      const settings = await container.program.get(shopOf(request).shopId);
      setEtag(reply, settingsVersion(settings));
      return settings;
    },
  );

  app.put(
    '/v1/program',
    {
      schema: {
        tags: ['program'],
        summary: 'Change program settings; fields left out keep their values. If-Match: only while unchanged',
        headers: IfMatchHeaders,
        body: ProgramChanges,
        response: { 200: ProgramView, ...problems(400, 401, 412, 429) },
      },
    },
    async (request, reply) => {
      const settings = await container.program.update(shopOf(request).shopId, request.body, ifMatchOf(request));
      setEtag(reply, settingsVersion(settings));
      return settings;
    },
  );
};
