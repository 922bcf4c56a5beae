import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { loadConfig } from '../config.ts';
import { createContainer, type Container } from '../core/container.ts';
import { createLogger } from '../core/common/logging.ts';
import { runMain } from '../process.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { buildApp, type InProcessWorker } from './app.ts';

/** Builds the app on the container and listens on HOST:PORT. Closing stops accepting and drains requests. */
export async function startApi(container: Container, logger: Logger, worker?: InProcessWorker): Promise<FastifyInstance> {
  const app = await buildApp({ container, logger, ...(worker ? { worker } : {}) });
  await app.listen({ host: container.config.host, port: container.config.port });
  return app;
}

// `node --import tsx services/api/server.ts`: the API alone (docker compose runs api and worker apart).
if (import.meta.url === `file://${process.argv[1]}`) {
  await runMain('api', async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel, 'api');
    const container = createContainer(config, { logger, applicationName: 'lojal-api' });
    await migrateDatabase(container.database);
    const app = await startApi(container, logger);
    return {
      logger,
      graceMs: config.shutdownGraceMs,
      close: async () => {
        await app.close();
        await container.close();
      },
    };
  });
}
