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

// BIGINT (int8) and NUMERIC come back as strings by default; balances are integers that fit in 2^53 (D1), and
// every such column is constrained to that range, so they are parsed as numbers here, once.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

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
