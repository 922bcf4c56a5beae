import type { Database } from '../../db/client.ts';
import type { Clock } from '../shared/clock.ts';
import { purgeExpired } from './idempotency-repo.ts';

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;

export function createIdempotencyService({ database, clock }: { database: Database; clock: Clock }) {
  return {
    /** D15: deletes keys past their 24 h, at most `limit` in one statement; returns how many went. */
    purgeExpired(limit: number, asOf: Date = clock.now()): Promise<number> {
      return purgeExpired(database.db, asOf, limit);
    },
  };
}
