import { pino, type Logger, type LoggerOptions } from 'pino';
import type { LogLevel } from '../../config.ts';
import { withoutDatabaseValues } from './error-redaction.ts';

/**
 * pino JSON logs with request ids. Credentials and personal data never reach a log line: Authorization, keys,
 * secrets, signatures and e-mail addresses are redacted wherever they appear in a logged object, and a logged
 * database error keeps its SQLSTATE and statement but none of its values (D19, error-redaction.ts).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["lojal-signature"]',
  'req.headers["x-wc-webhook-signature"]',
  'req.headers.cookie',
  ...['apiKey', 'webhookSecret', 'secret', 'password', 'token', 'email', 'adminToken', 'secretKey'].flatMap((k) => [
    k,
    `*.${k}`,
    `*.*.${k}`,
    `*.*.*.${k}`,
  ]),
];

export function loggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req(request: { method?: string; url?: unknown; id?: string; ip?: string }) {
        if (typeof request?.url !== 'string') return request;
        // Query strings may carry signed tokens (unsubscribe links): log the path only. Headers are left out.
        return { method: request.method, url: request.url.split('?')[0], id: request.id, remoteAddress: request.ip };
      },
      err: (error: unknown) => pino.stdSerializers.err(withoutDatabaseValues(error) as Error),
    },
  };
}

export function createLogger(level: LogLevel, name: string, destination?: pino.DestinationStream): Logger {
  return pino({ ...loggerOptions(level), name }, destination);
}
