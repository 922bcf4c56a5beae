import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Container } from '../../../core/container.ts';
import { IMPORT_BATCH_LINES, IMPORT_MAX_LINES } from '../../../core/imports/import-rules.ts';
import { shopOf } from '../../plugins/auth.ts';
import { problems } from '../../schemas.ts';
import { ImportLine, ImportResult, NDJSON } from './schemas.ts';

/** Points carried over from another system, one NDJSON line each (docs/imports.md). */
export const importRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  // This scope takes NDJSON only, as text: the import rules read it line by line, so one bad line is that line's
  // error, not the request's; the Idempotency-Key hash (D15) covers the text as sent.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(NDJSON, { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.post(
    '/v1/imports',
    {
      // The body is text: its lines are checked one by one by the service (against ImportLine, see schemas.ts).
      validatorCompiler: () => () => true,
      schema: {
        tags: ['imports'],
        summary: 'Import points from another system: one NDJSON line a credit, idempotent per reference',
        description:
          `\`Content-Type: ${NDJSON}\`, one JSON object a line (the schema below), at most ${IMPORT_MAX_LINES.toLocaleString('en-US')} lines and the ` +
          'server\'s body limit a request; blank lines are skipped. Each line credits `points` to the member\'s `available` ' +
          'balance as an `import` entry (a lot expiring at `expiresAt`, or as the program\'s expiry policy dates points ' +
          'credited now), creating the member (no sign-up bonus) when the customer id is new. A line that cannot be applied ' +
          'is listed in `errors` (`invalid_json`, `validation_failed`, `reference_reused`, `out_of_range`) and the others ' +
          'are applied. A reference imported before with the same data counts in `duplicates` and credits nothing: a ' +
          `file can be sent again. Lines are applied ${IMPORT_BATCH_LINES} a transaction, in order. An empty body is ` +
          '`400 validation_failed`; more lines than allowed `413 payload_too_large`, and nothing is applied; another ' +
          'content type is `415 unsupported_media_type`.',
        body: { content: { [NDJSON]: { schema: ImportLine } } } as never,
        response: { 200: ImportResult, ...problems(400, 401, 409, 413, 415, 429) },
      },
    },
    async (request) => {
      const principal = shopOf(request);
      const text = typeof request.body === 'string' ? request.body : '';
      return container.imports.importText(principal.shopId, text, principal.keyId, { maxLines: IMPORT_MAX_LINES });
    },
  );
};
