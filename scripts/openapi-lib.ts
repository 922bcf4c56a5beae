import { randomBytes } from 'node:crypto';
import { buildApp } from '../services/api/app.ts';
import { loadConfig } from '../services/config.ts';
import { createContainer } from '../services/core/container.ts';
import { createLogger } from '../services/core/common/logging.ts';

/** The server's own OpenAPI document, as YAML. Builds the app without touching PostgreSQL or Redis. */
export async function generateOpenApiYaml(): Promise<string> {
  const config = loadConfig({
    DATABASE_URL: 'postgres://openapi@127.0.0.1:1/none',
    REDIS_URL: 'redis://127.0.0.1:1',
    LOJAL_ADMIN_TOKEN: randomBytes(24).toString('hex'),
    LOJAL_SECRET_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger('silent', 'openapi');
  const container = createContainer(config, { logger });
  const app = await buildApp({ container, logger });
  try {
    await app.ready();
    return app.swagger({ yaml: true });
  } finally {
    await app.close();
    await container.close();
  }
}
