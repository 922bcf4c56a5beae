import type { Database } from '../../db/client.ts';
import { openTransaction, type OpenTransaction } from '../../db/request-tx.ts';
import { pgErrorCode } from '../../db/tx.ts';
import type { Clock } from '../common/clock.ts';
import { DomainError } from '../common/errors.ts';
import { decryptSecret, encryptSecret } from '../common/secrets.ts';
import { claimKey, isErasedResponse, purgeExpired, storeResponse, type StoredResponse } from './idempotency-repo.ts';

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** How long a request waits for a concurrent twin with the same key before answering 409 in progress. */
const WAIT_FOR_FIRST_MS = 15_000;

export type Claim = { kind: 'replay'; stored: Omit<StoredResponse, 'requestHash'> } | { kind: 'run'; open: OpenTransaction };

export function createIdempotencyService({ database, clock, secretKey }: { database: Database; clock: Clock; secretKey: Buffer }) {
  return {
    /**
     * D15: claims (shop, key) for a request in a transaction of its own, held open for the request's handler
     * (db/request-tx.ts): 'run' with that transaction, or 'replay' with the response stored for the same request.
     * A concurrent twin waits for the first to finish. Throws idempotency_key_reused, idempotency_request_in_progress,
     * member_erased (the stored response named a member since erased). `sealed`: the route's responses are stored
     * encrypted (see `complete`), and a replay opens them.
     */
    async claim(shopId: string, key: string, requestHash: string, sealed = false): Promise<Claim> {
      const open = await openTransaction(database);
      try {
        const stored = await claimKey(open.tx, shopId, key, requestHash, clock.now(), IDEMPOTENCY_TTL_MS, WAIT_FOR_FIRST_MS);
        if (stored === null) return { kind: 'run', open };
        await open.finish(false);
        if (stored.requestHash !== requestHash) {
          throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used for a different request');
        }
        if (isErasedResponse(stored)) {
          throw new DomainError('member_erased', 'This request was applied once; its response named a member since erased, so it is gone (D19)');
        }
        // A body stored in the clear before its route was sealed (JSON, never `v1.…`) replays as it is.
        const opened = sealed && stored.body.startsWith('v1.') ? decryptSecret(stored.body, secretKey) : stored.body;
        return { kind: 'replay', stored: { ...stored, body: opened } };
      } catch (error) {
        await open.finish(false).catch(() => {});
        if (pgErrorCode(error) === '55P03') {
          throw new DomainError('idempotency_request_in_progress', 'A request with this Idempotency-Key is still running; retry later');
        }
        throw error;
      }
    },

    /**
     * Stores the response in the claim's transaction and commits it with the request's effect. `sealed`: the
     * response holds secrets (a new API key, a webhook secret), so it is stored encrypted under LOJAL_SECRET_KEY
     * (AES-256-GCM, as webhook secrets are, D20) and never in the clear.
     */
    async complete(open: OpenTransaction, shopId: string, key: string, response: Omit<StoredResponse, 'requestHash'>, sealed = false): Promise<void> {
      await storeResponse(open.tx, shopId, key, sealed ? { ...response, body: encryptSecret(response.body, secretKey) } : response);
      await open.finish(true);
    },

    /** D15: deletes keys past their 24 h, at most `limit` in one statement; returns how many went. */
    purgeExpired(limit: number, asOf: Date = clock.now()): Promise<number> {
      return purgeExpired(database.db, asOf, limit);
    },
  };
}
