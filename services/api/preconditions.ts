import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { IfMatch } from '../core/common/preconditions.ts';

/** The optional `If-Match` of a write that supports optimistic concurrency (docs/operations.md: Concurrent changes). */
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({ maxLength: 1024, description: 'The ETag read before: the write applies only while it is still current, else 412' }),
  ),
});

/** Sets the version as a strong entity tag. */
export function setEtag(reply: FastifyReply, version: string | number): void {
  void reply.header('etag', `"${version}"`);
}

/**
 * What `If-Match` asks for (RFC 9110): `*`, or the versions of its strong tags; undefined without the header. If-Match
 * compares strongly, so a weak tag (`W/"…"`) or anything malformed matches nothing, and the write is refused.
 */
export function ifMatchOf(request: FastifyRequest): IfMatch | undefined {
  const header = request.headers['if-match'];
  if (typeof header !== 'string') return undefined;
  if (header.trim() === '*') return '*';
  const versions: string[] = [];
  for (const part of header.split(',')) {
    const match = /^"([\x21\x23-\x7e]*)"$/.exec(part.trim());
    if (match) versions.push(match[1]!);
  }
  return versions;
}
