import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Container } from '../../../core/container.ts';
import { unsubscribedPage } from '../../../core/mail/mail-render.ts';
import { problems } from '../../schemas.ts';

const Query = Type.Object({ token: Type.String({ minLength: 1, maxLength: 1024, description: 'The signed token of the link in the message' }) });

/**
 * D17: the link in every message, and its RFC 8058 one-click twin: mail clients POST `List-Unsubscribe=One-Click`
 * to the same URL. Public (the token is the authorisation), rate limited per address like every route.
 */
export const unsubscribeRoutes: FastifyPluginAsyncTypebox<{ container: Container }> = async (app, { container }) => {
  // RFC 8058: the one-click POST is a form; its body says nothing the URL does not, so it is read and ignored.
  for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data']) {
    app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) => done(null, undefined));
  }
  const schema = (summary: string) => ({
    tags: ['unsubscribe'],
    summary,
    description: 'Turns the member\'s `marketingConsent` off; repeating it changes nothing. Answers a small page in the member\'s language. A token that is not exactly as signed is `400 unsubscribe_token_invalid`.',
    security: [],
    querystring: Query,
    produces: ['text/html'],
    response: { 200: Type.String({ description: 'An HTML page' }), ...problems(400, 429) },
  });
  const page = async (token: string): Promise<string> => unsubscribedPage((await container.unsubscribe.unsubscribe(token)).locale);

  app.get('/v1/unsubscribe', { config: { auth: 'public' }, schema: schema('Unsubscribe from marketing mail (the link in a message)') }, async (request, reply) => {
    void reply.type('text/html; charset=utf-8');
    return page(request.query.token);
  });
  app.post(
    '/v1/unsubscribe',
    { config: { auth: 'public', idempotent: false }, schema: schema('One-click unsubscribe (RFC 8058), the same as GET') },
    async (request, reply) => {
      void reply.type('text/html; charset=utf-8');
      return page(request.query.token);
    },
  );
};
