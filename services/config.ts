/**
 * The one reader of process.env. Every setting is parsed and validated once, at start; a bad
 * environment fails with the whole list of what is wrong, not with the first crash it causes.
 */

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly databaseUrl: string;
  readonly databasePoolMax: number;
  /** D8: lanes of one shop's expiry sweep (expiry-service.ts). */
  readonly expiryLanes: number;
  /** D16: outbound webhooks may reach private addresses (webhook-address.ts). */
  readonly webhookAllowPrivate: boolean;
  readonly redisUrl: string;
  readonly host: string;
  readonly port: number;
  readonly adminToken: string;
  /** 32-byte key for AES-256-GCM encryption of webhook secrets at rest (D20). */
  readonly secretKey: Buffer;
  readonly logLevel: LogLevel;
  readonly bodyLimitBytes: number;
  /** D21: the `api` budget of each shop key (and of the operator token): steady rate and burst. */
  readonly rateLimitPerMinute: number;
  readonly rateLimitBurst: number;
  /** D21: the `checkout` budget of each shop key (quotes, hold, commit, release), apart from the `api` one. */
  readonly rateLimitCheckoutPerMinute: number;
  readonly rateLimitCheckoutBurst: number;
  /** D21: the budget of each client address for requests without a key. */
  readonly rateLimitAnonymousPerMinute: number;
  readonly rateLimitAnonymousBurst: number;
  readonly authFailuresPerMinute: number;
  readonly queuePrefix: string;
  readonly shutdownGraceMs: number;
  /** D17: smtp:// or smtps:// URL of the mail server; null sends messages to the log instead. */
  readonly smtpUrl: string | null;
  /** D17: the From address of every message; a shop's `mail.senderName` becomes its display name. */
  readonly mailFrom: string;
  /** D17: where members reach this API from outside (the unsubscribe links in messages), without a trailing slash. */
  readonly publicUrl: string;
  /** A worker run alone serves its metrics on this port (0: it serves none). */
  readonly workerMetricsPort: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Describes every variable; the README's configuration table is written from the same facts. */
export const CONFIG_VARIABLES = [
  ['DATABASE_URL', 'required', 'PostgreSQL connection string (npm start starts an embedded PostgreSQL when unset)'],
  ['DATABASE_POOL_MAX', '10', 'Connections per process in the PostgreSQL pool'],
  ['REDIS_URL', 'redis://127.0.0.1:6379', 'Redis for the job queues and the shared rate limits'],
  ['HOST', '0.0.0.0', 'Address the API listens on'],
  ['PORT', '3000', 'Port the API listens on'],
  ['LOJAL_ADMIN_TOKEN', 'required', 'Operator token for /v1/admin (at least 24 characters)'],
  ['LOJAL_SECRET_KEY', 'required', '32 bytes as 64 hex characters or base64; encrypts webhook secrets at rest'],
  ['LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent'],
  ['BODY_LIMIT_BYTES', '1048576', 'Largest request body accepted'],
  ['RATE_LIMIT_PER_MINUTE', '6000', 'Steady requests per minute per API key (and for the operator token), checkout calls apart; shared by all API processes through Redis'],
  ['RATE_LIMIT_BURST', '200', 'Requests per API key that may come at once on top of the steady rate (default: 2 s of RATE_LIMIT_PER_MINUTE)'],
  ['RATE_LIMIT_CHECKOUT_PER_MINUTE', '12000', 'Steady checkout calls per minute per API key (earning quote, redemption quote, hold, commit, release): a budget of their own'],
  ['RATE_LIMIT_CHECKOUT_BURST', '400', 'Checkout calls per API key that may come at once (default: 2 s of RATE_LIMIT_CHECKOUT_PER_MINUTE)'],
  ['RATE_LIMIT_ANONYMOUS_PER_MINUTE', '1200', 'Steady requests per minute per client address without a key (unsubscribe and feedback links, docs, WooCommerce pings)'],
  ['RATE_LIMIT_ANONYMOUS_BURST', '40', 'Requests per client address without a key that may come at once (default: 2 s of RATE_LIMIT_ANONYMOUS_PER_MINUTE)'],
  ['AUTH_FAILURES_PER_MINUTE', '30', 'Failed authentications per client address and minute before it gets 429'],
  ['QUEUE_PREFIX', 'lojal', 'Prefix of Lojal\'s keys in Redis (the BullMQ queues, the shared rate limits)'],
  ['SHUTDOWN_GRACE_MS', '10000', 'How long a graceful shutdown may take before the process exits'],
  ['SMTP_URL', 'unset', 'smtp:// or smtps:// mail server (user and password in the URL); unset: messages go to the log'],
  ['MAIL_FROM', 'no-reply@localhost', 'From address of every message (the shop\'s sender name is its display name)'],
  ['PUBLIC_URL', 'http://localhost:3000', 'The API as members reach it; unsubscribe and feedback links in messages start with it'],
  ['EXPIRY_LANES', '1', 'Connections one shop\'s expiry sweep works on at once; 2 clears a backlog faster where the database has cores to spare'],
  ['WEBHOOK_ALLOW_PRIVATE', 'false', 'true: outbound webhooks may go to loopback, private and link-local addresses (a single-shop install on its own network)'],
  ['WORKER_METRICS_PORT', '0', 'A worker run alone (npm run start:worker) serves /metrics on this port on HOST; 0: none'],
] as const;

/** Readers of the environment's variables, each adding what is wrong with its variable to `problems`. */
function readers(env: Env, problems: string[]) {
  const text = (name: string, fallback?: string): string => {
    const value = env[name]?.trim();
    if (value) return value;
    if (fallback !== undefined) return fallback;
    problems.push(`${name} is required`);
    return '';
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };
  const url = (name: string, value: string, protocols: string[]): string => {
    if (!value) return value;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return value;
  };
  return { text, integer, flag, url };
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const { text, integer, flag, url } = readers(env, problems);

  const databaseUrl = url('DATABASE_URL', text('DATABASE_URL'), ['postgres:', 'postgresql:']);
  const redisUrl = url('REDIS_URL', text('REDIS_URL', 'redis://127.0.0.1:6379'), ['redis:', 'rediss:']);
  const port = integer('PORT', 3000, 0, 65535);
  const adminToken = text('LOJAL_ADMIN_TOKEN');
  if (adminToken && adminToken.length < 24) problems.push('LOJAL_ADMIN_TOKEN must be at least 24 characters');
  const secretKey = parseSecretKey(text('LOJAL_SECRET_KEY'), problems);
  const smtpUrl = url('SMTP_URL', text('SMTP_URL', ''), ['smtp:', 'smtps:']) || null;
  const mailFrom = text('MAIL_FROM', 'no-reply@localhost');
  if (!/^[^\s@<>",]+@[^\s@<>",]+$/.test(mailFrom)) problems.push('MAIL_FROM must be a bare address such as no-reply@example.com');
  const publicUrl = url('PUBLIC_URL', text('PUBLIC_URL', 'http://localhost:3000'), ['http:', 'https:']).replace(/\/+$/, '');
  const logLevel = text('LOG_LEVEL', 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const config: Config = {
    databaseUrl,
    databasePoolMax: integer('DATABASE_POOL_MAX', 10, 1, 500),
    expiryLanes: integer('EXPIRY_LANES', 1, 1, 8),
    webhookAllowPrivate: flag('WEBHOOK_ALLOW_PRIVATE', false),
    redisUrl,
    host: text('HOST', '0.0.0.0'),
    port,
    adminToken,
    secretKey,
    logLevel,
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', 1_048_576, 1024, 64 * 1_048_576),
    ...rateLimits(integer),
    authFailuresPerMinute: integer('AUTH_FAILURES_PER_MINUTE', 30, 1, 1_000_000),
    queuePrefix: text('QUEUE_PREFIX', 'lojal'),
    shutdownGraceMs: integer('SHUTDOWN_GRACE_MS', 10_000, 100, 600_000),
    smtpUrl,
    mailFrom,
    publicUrl,
    workerMetricsPort: integer('WORKER_METRICS_PORT', 0, 0, 65535),
  };
  if (config.queuePrefix.includes(':')) problems.push('QUEUE_PREFIX must not contain ":"');
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/**
 * D21: each budget's steady rate and burst. An unset burst is two seconds of its rate (at least 1): enough for the
 * calls of one page or a retry's bunching, while a client that loops without pause is held to its rate within
 * seconds. RATE_LIMIT_PER_MINUTE keeps its meaning for everything a key does but checkout.
 */
function rateLimits(integer: (name: string, fallback: number, min: number, max: number) => number) {
  const budget = (rateName: string, rateDefault: number, burstName: string) => {
    const perMinute = integer(rateName, rateDefault, 1, 10_000_000);
    return [perMinute, integer(burstName, Math.max(1, Math.round(perMinute / 30)), 1, 10_000_000)] as const;
  };
  const [rateLimitPerMinute, rateLimitBurst] = budget('RATE_LIMIT_PER_MINUTE', 6000, 'RATE_LIMIT_BURST');
  const [rateLimitCheckoutPerMinute, rateLimitCheckoutBurst] = budget('RATE_LIMIT_CHECKOUT_PER_MINUTE', 12_000, 'RATE_LIMIT_CHECKOUT_BURST');
  const [rateLimitAnonymousPerMinute, rateLimitAnonymousBurst] = budget('RATE_LIMIT_ANONYMOUS_PER_MINUTE', 1200, 'RATE_LIMIT_ANONYMOUS_BURST');
  return {
    rateLimitPerMinute,
    rateLimitBurst,
    rateLimitCheckoutPerMinute,
    rateLimitCheckoutBurst,
    rateLimitAnonymousPerMinute,
    rateLimitAnonymousBurst,
  };
}

function parseSecretKey(raw: string, problems: string[]): Buffer {
  if (!raw) return Buffer.alloc(0);
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    problems.push('LOJAL_SECRET_KEY must be 32 bytes: 64 hex characters or 44 base64 characters');
  }
  return key;
}
