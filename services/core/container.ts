import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { createDatabase, type Database } from '../db/client.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import { createRedis, type RedisLogger } from './shared/redis.ts';
import { createIdempotencyService, type IdempotencyService } from './idempotency/idempotency-service.ts';
import { createLedgerService, type LedgerService } from './ledger/ledger-service.ts';
import { createMemberService, type MemberService } from './members/member-service.ts';
import { createShopService, type ShopService } from './shops/shop-service.ts';

/** The one composition root: every process (api, worker, cli) builds its services here and nowhere else. */
export interface Container {
  readonly config: Config;
  readonly clock: Clock;
  readonly database: Database;
  /** Connected on first use: the CLI never needs Redis, the API only for readiness. */
  readonly redis: Redis;
  readonly shops: ShopService;
  readonly members: MemberService;
  readonly ledger: LedgerService;
  readonly idempotency: IdempotencyService;
  close(): Promise<void>;
}

export interface ContainerOptions {
  clock?: Clock;
  logger: RedisLogger;
  applicationName?: string;
}

export function createContainer(config: Config, options: ContainerOptions): Container {
  const clock = options.clock ?? systemClock;
  const database = createDatabase(config.databaseUrl, {
    max: config.databasePoolMax,
    applicationName: options.applicationName ?? 'lojal',
  });
  let redis: Redis | null = null;
  const shops = createShopService({ database, clock, secretKey: config.secretKey });
  const members = createMemberService({ database, clock, secretKey: config.secretKey });
  const ledger = createLedgerService({ database, clock });
  const idempotency = createIdempotencyService({ database, clock });
  return {
    config,
    clock,
    database,
    get redis() {
      redis ??= createRedis(config.redisUrl, options.logger, { maxRetriesPerRequest: 1 });
      return redis;
    },
    shops,
    members,
    ledger,
    idempotency,
    async close() {
      redis?.disconnect();
      await database.close();
    },
  };
}
