import type { Container } from '../../core/container.ts';
import type { MaintenanceHandler } from '../main.ts';

export const PURGE_IDEMPOTENCY_KEYS = 'purge-idempotency-keys';
const CHUNK = 5_000;
const MAX_CHUNKS_PER_RUN = 100;

/** D15: keys live 24 h; this sweep removes the expired ones in bounded chunks (STYLE.md 11). */
export function purgeIdempotencyKeys(container: Container): MaintenanceHandler {
  return async (payload) => {
    const asOf = payload.asOf ? new Date(payload.asOf) : container.clock.now();
    let purged = 0;
    for (let chunk = 0; chunk < MAX_CHUNKS_PER_RUN; chunk++) {
      const deleted = await container.idempotency.purgeExpired(CHUNK, asOf);
      purged += deleted;
      if (deleted < CHUNK) break;
    }
    return { purged };
  };
}
