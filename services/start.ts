/**
 * `npm start`: the API and the worker in one process. With no DATABASE_URL it starts an embedded PostgreSQL under
 * the data folder (.lojal/ by default) and migrates it; with no operator token or secret key it makes local ones
 * there. A production deployment sets every variable and runs services/api/server.ts and services/worker/main.ts.
 */
import { writeFileSync } from 'node:fs';
import { loadConfig } from './config.ts';
import { startApi } from './api/server.ts';
import { createContainer } from './core/container.ts';
import { createLogger } from './core/common/logging.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { migrateDatabase } from './db/migrate.ts';
import { dataDir, embeddedUrlFile, fillLocalSecrets, sharedDir } from './dev-defaults.ts';
import { runMain, type Running } from './process.ts';
import { startWorker } from './worker/main.ts';

await runMain('start', async () => {
  const env = { ...process.env };
  const filled = fillLocalSecrets(env);
  let embedded: EmbeddedDatabase | null = null;
  if (!env.DATABASE_URL?.trim()) {
    const port = Number(env.EMBEDDED_PG_PORT ?? 54329);
    embedded = await startEmbeddedPostgres({
      dataDir: dataDir(env),
      sharedDir: sharedDir(env),
      port,
      log: (m) => console.error(m),
    });
    env.DATABASE_URL = embedded.url;
  }
  try {
    if (embedded) writeFileSync(embeddedUrlFile(env), `${embedded.url}\n`, { mode: 0o600 });
    return await startServices(env, filled, embedded);
  } catch (error) {
    await embedded?.stop(); // a start that fails past the database leaves no PostgreSQL behind
    throw error;
  }
});

async function startServices(env: NodeJS.ProcessEnv, filled: string[], embedded: EmbeddedDatabase | null): Promise<Running> {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel, 'lojal');
  if (embedded) logger.info({ dataDir: dataDir(env) }, 'embedded PostgreSQL started (no DATABASE_URL set)');
  if (filled.length > 0) {
    logger.info(
      { generated: filled, dataDir: dataDir(env) },
      `local ${filled.join(' and ')} kept in ${dataDir(env)}; the operator token is in ${dataDir(env)}/admin-token`,
    );
  }
  const container = createContainer(config, { logger, applicationName: 'lojal' });
  await migrateDatabase(container.database);
  const worker = await startWorker(container, logger);
  const app = await startApi(container, logger, worker);
  logger.info(`Lojal is up: API on http://localhost:${config.port}, docs on http://localhost:${config.port}/docs`);
  return {
    logger,
    graceMs: config.shutdownGraceMs,
    close: async () => {
      await app.close();
      await worker.close();
      await container.close();
      await embedded?.stop();
    },
  };
}
