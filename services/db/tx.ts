import type { Db, Tx } from './client.ts';
import { currentRequestTx } from './request-tx.ts';

export type { Executor, Tx } from './client.ts';

const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const MAX_ATTEMPTS = 5;

export interface TxOptions {
  isolationLevel?: 'read committed' | 'repeatable read' | 'serializable';
  /** Attempts in all, the first included; a limit on everything (TigerBeetle style). */
  maxAttempts?: number;
}

/**
 * The only way to write: one command, one transaction. Serialization failures and deadlocks are retried a
 * bounded number of times with jittered backoff; any other error rolls back and propagates unchanged.
 */
export async function withTx<T>(db: Db, work: (tx: Tx) => Promise<T>, options: TxOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  const ambient = currentRequestTx();
  for (let attempt = 1; ; attempt++) {
    try {
      // Inside the request transaction: a savepoint of it (see request-tx.ts).
      if (ambient) return await ambient.transaction(work);
      return await db.transaction(work, { isolationLevel: options.isolationLevel ?? 'read committed' });
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryable(error)) throw error;
      await sleep(Math.random() * 10 * 2 ** attempt);
    }
  }
}

export function pgErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export function isRetryable(error: unknown): boolean {
  const code = pgErrorCode(error);
  return code !== undefined && RETRYABLE.has(code);
}

/**
 * SQLSTATEs of a database that is gone or refuses us for now: class 08 (connection exception), 57P01-57P03 (the
 * backend terminated by an administrator, a crash, a server starting or stopping) and 53300 (too many connections).
 */
const UNAVAILABLE_STATES = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
/** The socket errors of a connection that cannot be made or was lost. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** What pg and pg-pool say, without a code, when a connection ends, cannot be had in time, or the pool is closing. */
const LOST_CONNECTION = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end)/;

/**
 * Whether an error means the database cannot be reached now (a lost or refused connection, a pool with none to
 * give in time), rather than a fault of the request or of the code: the API answers it with 503 and Retry-After.
 * Looks through wrappers (`cause`) and every attempt of a connection to several addresses (`errors`).
 */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 8) return false;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || SOCKET_CODES.has(code))) return true;
  if (typeof message === 'string' && LOST_CONNECTION.test(message)) return true;
  if (Array.isArray(errors) && errors.some((e) => isConnectionFailure(e, depth + 1))) return true;
  return isConnectionFailure(cause, depth + 1);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
