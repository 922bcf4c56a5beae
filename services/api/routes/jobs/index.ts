import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Container } from '../../../core/container.ts';
import { findJob, JOBS } from '../../../core/jobs/job-registry.ts';
import { notFound } from '../../../core/shared/errors.ts';
import { shopOf } from '../../plugins/auth.ts';
import { problems, Timestamp } from '../../schemas.ts';

/** The registry's jobs a shop may run for itself now, as of a time (D18); the worker runs them all on schedules. */
const SHOP_JOBS = JOBS.filter((job) => job.shopCallable);
const AVAILABLE = SHOP_JOBS.map((job) => job.name).join(', ');

export const jobRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  app.post(
    '/v1/jobs/:name',
    {
      schema: {
        tags: ['jobs'],
        summary: `Run a job for this shop now: ${AVAILABLE}`,
        description: SHOP_JOBS.map((job) => `- \`${job.name}\`: ${job.description}`).join('\n'),
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
      const job = findJob(request.params.name);
      // A global sweep is not a shop's to run: answered as if it did not exist.
      if (!job?.shopCallable) throw notFound(`Job "${request.params.name}" (available: ${AVAILABLE})`);
      const asOf = request.body?.asOf ? new Date(request.body.asOf) : container.clock.now();
      const dryRun = request.body?.dryRun ?? false;
      const counts = await job.run(container, { shopId: shopOf(request).shopId, asOf, dryRun });
      return { job: job.name, asOf: asOf.toISOString(), dryRun, counts };
    },
  );
};
