import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.ts';

export type Db = NodePgDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Where a statement runs: the pool, or a transaction's connection. */
export type Executor = Db | Tx;

export interface Database {
  readonly pool: pg.Pool;
  readonly db: Db;
  close(): Promise<void>;
}

// BIGINT (int8) comes back as a string by default. Money and points are 64-bit columns whose values the service
// keeps within 2^53 − 1 (D1: core/common/money.ts), where a JavaScript number is exact, so they are parsed as
// numbers here, once. A value past that range would come back wrong: the query fails instead.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new RangeError(`a bigint past 2^53 − 1 cannot be read exactly: ${value}`);
  return parsed;
});

/** Opens a pool lazily: nothing connects until the first query, so building the app never needs a database. */
export function createDatabase(url: string, options: { max?: number; applicationName?: string } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'lojal',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the next checkout reconnects.
  pool.on('error', () => {});
  // Nor a checked-out one between two queries (a backend terminated while a request transaction waits): pg emits
  // the loss as an 'error' event no query receives. The next query on it fails, and its release discards it.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle(pool, { schema, casing: 'snake_case' });
  let closed = false;
  return {
    pool,
    db,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
