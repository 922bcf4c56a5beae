import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDatabase } from '../../services/db/client.ts';
import { migrateDatabase } from '../../services/db/migrate.ts';
import { TEST_ADMIN_URL, TEST_REDIS_URL, databaseUrl } from './env.ts';
import { RUN_PREFIX, currentRun, dropLeftovers, dropRedisLeftovers, runId, templateName } from './test-runs.ts';

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
  const run = currentRun();
  const template = templateName(run);
  const admin = new pg.Client({ connectionString: TEST_ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `The tests need PostgreSQL at ${TEST_ADMIN_URL} (set TEST_DATABASE_URL); .ci/run starts one. ${String(error)}`,
    );
  }
  // Another run may be going on against the same servers (another clone): only what ended runs left goes.
  await dropLeftovers(admin);
  await dropRedisLeftovers(TEST_REDIS_URL, null);
  await admin.query(`CREATE DATABASE ${template}`);
  const database = createDatabase(databaseUrl(template), { max: 1 });
  await migrateDatabase(database);
  await database.close();
  project.provide('templateDatabase', template);
  project.provide('runId', runId(run));

  return async () => {
    const clones = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1) OR datname = $2`,
      [`${RUN_PREFIX}${runId(run)}_`, template],
    );
    for (const { datname } of clones.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.end();
    await dropRedisLeftovers(TEST_REDIS_URL, run);
  };
}
