import { DomainError } from './errors.ts';

/** What an `If-Match` header asks for: any current version (`*`), or one of these versions. */
export type IfMatch = '*' | readonly string[];

/**
 * Optimistic concurrency for clients that want it: a write that names the version it read (`If-Match`) applies
 * only if that is still the current one. Checked under the row's lock, so nothing changes between check and write.
 * No `If-Match`: the write applies to whatever is current. Throws precondition_failed.
 */
export function checkIfMatch(ifMatch: IfMatch | undefined, current: string, what: string): void {
  if (ifMatch === undefined || ifMatch === '*' || ifMatch.includes(current)) return;
  throw new DomainError(
    'precondition_failed',
    `${what} changed since the version named in If-Match; read it again (its ETag is the current version) and retry`,
  );
}
