import type pg from 'pg';
import type { Executor } from './tx.ts';

/**
 * Runs a fixed, named statement on the connection behind a drizzle database or transaction. For the hot paths only
 * (postings, order events, member and order locks): PostgreSQL parses and plans a named statement once per
 * connection, and no query builder runs per call. One name, one text: pg refuses a name reused for another text.
 * Results use pg's own parsers (timestamps as Date, int8 as number).
 */
export async function namedQuery<R extends pg.QueryResultRow>(
  executor: Executor,
  name: string,
  text: string,
  values: unknown[],
): Promise<R[]> {
  // drizzle keeps the pool (a database) or the checked-out client (a transaction) on its session.
  const client = (executor as unknown as { session: { client: pg.Pool | pg.PoolClient } }).session.client;
  const result = await client.query<R>({ name, text, values });
  return result.rows;
}

/** A timestamp column as a raw row holds it: a Date from pg's parser, text from row_to_json, or null. */
export function dateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : new Date(value as string | Date);
}

/**
 * The parameters of a statement, numbered as its text is written: `add` returns the placeholder (`$n`, with a cast
 * when given) for a value. Statements composed of optional parts stay correct whatever parts they have, and the
 * same parts always make the same text (so a named statement's text is fixed by its name).
 */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}
