import { Redis, type RedisOptions } from 'ioredis';

export interface RedisLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * A Redis connection that keeps retrying in the background and says once, in one clear line, when Redis does
 * not answer (and once when it is back): a missing Redis delays jobs and e-mail, it never takes the API down.
 */
/** URLs this process has said are down: several connections to one Redis say it once between them. */
const reportedDown = new Set<string>();

export function createRedis(url: string, logger: RedisLogger, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
    ...options,
  });
  redis.on('error', (error: Error & { code?: string }) => {
    if (reportedDown.has(url)) return;
    reportedDown.add(url);
    logger.warn(
      { redisUrl: redactUrl(url), reason: error.code ?? error.message },
      `Redis is not answering at ${redactUrl(url)}: jobs and e-mail wait until it does. ` +
        'Start one with `redis-server --daemonize yes` (Debian: apt-get install redis-server) ' +
        'or `docker compose up -d redis`, or set REDIS_URL.',
    );
  });
  redis.on('ready', () => {
    if (!reportedDown.delete(url)) return;
    logger.info({ redisUrl: redactUrl(url) }, 'Redis is reachable again');
  });
  redis.connect().catch(() => {}); // failures are reported by the 'error' listener and retried
  return redis;
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid url)';
  }
}
