import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Container } from '../../../core/container.ts';
import { runForShop, SHOP_JOB_NAMES, SHOP_JOBS, type ShopJobRun } from '../../../core/jobs/job-registry.ts';
import { shopOf } from '../../plugins/auth.ts';
import { problems, Timestamp } from '../../schemas.ts';

const JobParams = Type.Object({ name: Type.String({ maxLength: 64, examples: ['mature'] }) });
const JobBody = Type.Optional(
  Type.Object({
    asOf: Type.Optional(Timestamp),
    dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Count exactly what a run would do, change nothing' })),
  }),
);
const JobRun = Type.Object({ job: Type.String(), asOf: Timestamp, dryRun: Type.Boolean(), counts: Type.Record(Type.String(), Type.Integer()) });
const LIST = SHOP_JOBS.map((job) => `- \`${job.name}\`: ${job.description}`).join('\n');

/**
 * The registry's jobs that run for one shop, as of a time (D18): a shop for itself now (at most 5 minutes ahead),
 * an operator for any shop at any time; the worker runs them all on schedules.
 */
export const jobRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  app.post(
    '/v1/jobs/:name',
    {
      schema: {
        tags: ['jobs'],
        summary: `Run a job for this shop now: ${SHOP_JOB_NAMES}`,
        description: `${LIST}\n\n\`asOf\` may be at most 5 minutes ahead of now (\`403 as_of_in_future\`); operators run a job for a shop at any time.`,
        params: JobParams,
        body: JobBody,
        response: { 200: JobRun, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const { body } = request;
      const run = await runForShop(container, 'shop', shopOf(request).shopId, request.params.name, {
        asOf: body?.asOf ? new Date(body.asOf) : null,
        dryRun: body?.dryRun,
      });
      return runView(run);
    },
  );

  app.post(
    '/v1/admin/shops/:shopId/jobs/:name',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['operator'],
        summary: `Run a job for a shop as of any time: ${SHOP_JOB_NAMES}`,
        description: LIST,
        security: [{ adminToken: [] }],
        params: Type.Object({ shopId: Type.String({ maxLength: 64 }), name: JobParams.properties.name }),
        body: JobBody,
        response: { 200: JobRun, ...problems(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const { body } = request;
      const run = await runForShop(container, 'operator', request.params.shopId, request.params.name, {
        asOf: body?.asOf ? new Date(body.asOf) : null,
        dryRun: body?.dryRun,
      });
      return runView(run);
    },
  );
};

function runView(run: ShopJobRun) {
  return { ...run, asOf: run.asOf.toISOString() };
}
