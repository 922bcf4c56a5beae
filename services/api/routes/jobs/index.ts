import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Container } from '../../../core/container.ts';
import { notFound } from '../../../core/shared/errors.ts';
import { shopOf } from '../../plugins/auth.ts';
import { problems, Timestamp } from '../../schemas.ts';

type Job = (container: Container, shopId: string, asOf: Date, dryRun: boolean) => Promise<Record<string, number>>;

/** The jobs a shop can run now, as of a time (D18); the worker runs the same on its schedules. */
const JOBS: Record<string, Job> = {
  mature: (c, shopId, asOf, dryRun) => c.orders.matureDue(shopId, asOf, dryRun),
  'release-holds': (c, shopId, asOf, dryRun) => c.redemptions.releaseExpired(shopId, asOf, dryRun),
};

export const jobRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  app.post(
    '/v1/jobs/:name',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Run a job for this shop now: mature, release-holds (more come with their features)',
        params: Type.Object({ name: Type.String({ maxLength: 64, examples: ['mature'] }) }),
        body: Type.Optional(
          Type.Object({
            asOf: Type.Optional(Timestamp),
            dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Count what would be done, change nothing' })),
          }),
        ),
        response: {
          200: Type.Object({ job: Type.String(), asOf: Timestamp, dryRun: Type.Boolean(), counts: Type.Record(Type.String(), Type.Integer()) }),
          ...problems(400, 401, 404, 429),
        },
      },
    },
    async (request) => {
      const job = JOBS[request.params.name];
      if (!job) throw notFound(`Job "${request.params.name}" (available: ${Object.keys(JOBS).join(', ')})`);
      const asOf = request.body?.asOf ? new Date(request.body.asOf) : container.clock.now();
      const dryRun = request.body?.dryRun ?? false;
      const counts = await job(container, shopOf(request).shopId, asOf, dryRun);
      return { job: request.params.name, asOf: asOf.toISOString(), dryRun, counts };
    },
  );
};
