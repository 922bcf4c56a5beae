import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDatabase } from '../../services/db/client.ts';
import { migrateDatabase } from '../../services/db/migrate.ts';
import { TEST_ADMIN_URL, databaseUrl } from './env.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
    runId: string;
  }
}

/**
 * Once per run: a database migrated from migrations/ that every test file clones (CREATE DATABASE ... TEMPLATE),
 * so each file starts from the real schema, isolated, in milliseconds.
 */
export default async function setup(project: TestProject) {
  const runId = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
  const template = `lojal_tmpl_${runId}`;
  const admin = new pg.Client({ connectionString: TEST_ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `The tests need PostgreSQL at ${TEST_ADMIN_URL} (set TEST_DATABASE_URL); .ci/run starts one. ${String(error)}`,
    );
  }
  await dropLeftovers(admin);
  await admin.query(`CREATE DATABASE ${template}`);
  const database = createDatabase(databaseUrl(template), { max: 1 });
  await migrateDatabase(database);
  await database.close();
  project.provide('templateDatabase', template);
  project.provide('runId', runId);

  return async () => {
    const clones = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
      [`lojal_t_${runId}_%`, template],
    );
    for (const { datname } of clones.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.end();
  };
}

/** Databases of runs that were killed before their teardown, older than an hour. */
async function dropLeftovers(admin: pg.Client): Promise<void> {
  const old = await admin.query<{ datname: string }>(
    `SELECT d.datname FROM pg_database d
      WHERE (d.datname LIKE 'lojal_t_%' OR d.datname LIKE 'lojal_tmpl_%')
        AND (pg_stat_file('base/' || d.oid || '/PG_VERSION')).modification < now() - interval '1 hour'`,
  ).catch(() => ({ rows: [] as { datname: string }[] }));
  for (const { datname } of old.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
}
