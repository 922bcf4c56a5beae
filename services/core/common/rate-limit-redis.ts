import type { Redis } from 'ioredis';
import { localRateLimiter, type LocalRateLimiter, type RateBudget, type RateDecision } from './rate-limit.ts';

/**
 * D21: gcra() of rate-limit.ts, run in Redis so that every API process draws on one budget per bucket. Atomic (one
 * script), on Redis's clock (replicas' clocks may disagree; Redis's is one), and the key expires when the budget is
 * whole again, so an idle bucket leaves nothing behind. Replies [allowed, remaining, retryAfterMs, resetMs].
 */
const GCRA_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local interval = tonumber(ARGV[1])
local capacity = interval * tonumber(ARGV[2])
local start = tonumber(redis.call('GET', KEYS[1])) or now
if start < now then start = now end
local ahead = start + interval - now
if ahead > capacity + 0.001 then
  return {0, 0, math.ceil(ahead - capacity), math.ceil(start - now)}
end
redis.call('SET', KEYS[1], string.format('%.3f', start + interval), 'PX', math.ceil(ahead))
return {1, math.floor((capacity - ahead) / interval + 0.001 / interval), 0, math.ceil(ahead)}
`;

type GcraCommand = (key: string, intervalMs: string, burst: string) => Promise<[number, number, number, number]>;

export interface RateLimiterLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface SharedRateLimiterOptions {
  redis: Redis;
  /** QUEUE_PREFIX: two deployments (or test runs) on one Redis never share a bucket. */
  prefix: string;
  logger: RateLimiterLogger;
  /** How long a decision may wait for Redis before this process decides alone. */
  timeoutMs?: number;
  /** After Redis failed or was slow, how long this process decides alone before it asks Redis again. */
  pauseMs?: number;
  local?: LocalRateLimiter;
}

export interface SharedDecision extends RateDecision {
  /** false: decided by this process alone (Redis not answering). */
  shared: boolean;
}

/** States of an ioredis connection that has not been ready yet: not an outage worth a log line. */
const STARTING = new Set(['wait', 'connecting', 'connect']);

/**
 * D21: rate limits shared by every API process through Redis, that never refuse or hold a request because Redis is
 * away. Without an answer within `timeoutMs` (50 ms) the decision is this process's own, by the same rule and budget,
 * going on from where Redis last said each bucket stood (so a slow answer does not hand out a whole new burst; with N
 * processes a client may get up to N times its rate until Redis is back), and Redis is left alone for `pauseMs` so
 * that requests do not pile up behind a stalled connection. One line in the log when this starts and one when Redis
 * answers again; no key or address is logged.
 */
export function sharedRateLimiter({ redis, prefix, logger, timeoutMs = 50, pauseMs = 1_000, local = localRateLimiter() }: SharedRateLimiterOptions) {
  const command = defineGcra(redis);
  let away = false;
  let pausedUntil = 0;
  let everReady = redis.status === 'ready';

  const fallBack = (reason: string) => {
    if (away || (!everReady && STARTING.has(redis.status))) return;
    away = true;
    logger.warn({ reason }, `Rate limits are counted in this process only until Redis answers within ${timeoutMs} ms again`);
  };

  return {
    async take(bucket: string, budget: RateBudget): Promise<SharedDecision> {
      if (redis.status === 'ready' && performance.now() >= pausedUntil) {
        everReady = true;
        try {
          const [allowed, remaining, retryAfterMs, resetMs] = await withTimeout(
            command(`${prefix}:rate-limit:${bucket}`, String(60_000 / budget.perMinute), String(budget.burst)),
            timeoutMs,
          );
          if (away) {
            away = false;
            logger.info({}, 'Rate limits are shared through Redis again');
          }
          local.sync(bucket, resetMs);
          return { allowed: allowed === 1, remaining, retryAfterMs, resetMs, shared: true };
        } catch (error) {
          pausedUntil = performance.now() + pauseMs;
          fallBack(error instanceof Error ? error.message : String(error));
        }
      } else if (redis.status !== 'ready') {
        fallBack(`connection ${redis.status}`);
      }
      return { ...local.take(bucket, budget), shared: false };
    },
  };
}

export type SharedRateLimiter = ReturnType<typeof sharedRateLimiter>;

function defineGcra(redis: Redis): GcraCommand {
  const holder = redis as unknown as { lojalGcra?: GcraCommand };
  // One connection is shared by the whole process: the command is defined on it once.
  if (!holder.lojalGcra) redis.defineCommand('lojalGcra', { numberOfKeys: 1, lua: GCRA_LUA });
  return (...args) => holder.lojalGcra!(...args);
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    // The timer may fire late, after a busy spell of the event loop, with the answer already waiting on the socket:
    // setImmediate runs after pending I/O, so such an answer still wins the race.
    timer = setTimeout(() => setImmediate(() => reject(new Error(`no answer in ${ms} ms`))), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
    promise.catch(() => {}); // a late failure of an abandoned command is not an unhandled rejection
  }
}
