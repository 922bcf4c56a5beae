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

/**
 * Lines go to `destination`, or to standard output: in blocks of at least 4 kB, written off the event loop, and at
 * least once a second; whatever is left is written on exit. Written line by line, each line cost a system call on
 * the event loop (measured: about 3 % of a signed event's time, at one access line per request). A process killed
 * outright (SIGKILL) loses at most its last second of lines; past 16 MB waiting (standard output not read), lines
 * are dropped rather than held.
 */
export function createLogger(level: LogLevel, name: string, destination?: pino.DestinationStream): Logger {
  return pino({ ...loggerOptions(level), name }, destination ?? standardOutput());
}

/** Standard output line by line, for a command whose own output its log lines must keep their place in (the CLI). */
export function lineByLine(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: true });
}

function standardOutput(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4_096, periodicFlush: 1_000, maxLength: 16 * 1024 * 1024 });
}
