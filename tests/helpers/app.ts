import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { inject } from 'vitest';
import { buildApp } from '../../services/api/app.ts';
import { loadConfig, type Config } from '../../services/config.ts';
import { createContainer, type Container } from '../../services/core/container.ts';
import type { Clock } from '../../services/core/common/clock.ts';
import { createLogger } from '../../services/core/common/logging.ts';
import { createTestDatabase } from './db.ts';
import { TEST_REDIS_URL } from './env.ts';
import { RUN_PREFIX } from './test-runs.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused',
    REDIS_URL: TEST_REDIS_URL,
    LOJAL_ADMIN_TOKEN: ADMIN_TOKEN,
    LOJAL_SECRET_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // The run's own Redis keys: another run on the same Redis never sees them, its teardown clears them.
    QUEUE_PREFIX: `${RUN_PREFIX}${inject('runId')}_${randomBytes(4).toString('hex')}`,
    ...overrides,
  });
}

/**
 * D21: budgets no test reaches, for the files that write their fixtures or fire their bursts through the API faster
 * than a client may (hundreds of calls of one key at once). Rate limits are not what they test; tests/api/rate-limits*
 * test them at the defaults and below.
 */
export const UNLIMITED_RATES: Readonly<Record<string, string>> = {
  RATE_LIMIT_BURST: '1000000',
  RATE_LIMIT_CHECKOUT_BURST: '1000000',
  RATE_LIMIT_ANONYMOUS_BURST: '1000000',
};

export interface TestApp {
  app: FastifyInstance;
  container: Container;
  config: Config;
  close(): Promise<void>;
}

/** The real app on a fresh clone of the migrated database and the real Redis, ready for `inject()`. */
export async function buildTestApp(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    databaseUrl?: string;
    beforeReady?: (app: FastifyInstance) => void;
    /** Where the app's log lines go (set LOG_LEVEL in `env` to see them); stdout by default. */
    logStream?: DestinationStream;
  } = {},
): Promise<TestApp> {
  const url = options.databaseUrl ?? (await createTestDatabase());
  const config = testConfig({ DATABASE_URL: url, ...options.env });
  const logger = createLogger(config.logLevel, 'test', options.logStream);
  const container = createContainer(config, { logger, ...(options.clock ? { clock: options.clock } : {}) });
  const app = await buildApp({ container, logger });
  options.beforeReady?.(app);
  await app.ready();
  return {
    app,
    container,
    config,
    async close() {
      await app.close();
      await container.close();
    },
  };
}

export interface TestShop {
  id: string;
  apiKey: string;
  webhookSecret: string;
  auth: { authorization: string };
}

export async function createShop(app: FastifyInstance, body: Record<string, unknown> = {}): Promise<TestShop> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/admin/shops',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: { name: 'Test shop', currency: 'PLN', ...body },
  });
  if (response.statusCode !== 201) throw new Error(`shop not created: ${response.statusCode} ${response.body}`);
  const created = response.json();
  return {
    id: created.shop.id,
    apiKey: created.apiKey,
    webhookSecret: created.webhookSecret,
    auth: { authorization: `Bearer ${created.apiKey}` },
  };
}
