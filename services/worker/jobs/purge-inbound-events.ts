import { EVENT_RETENTION_DAYS } from '../../core/events/event-service.ts';
import type { Container } from '../../core/container.ts';
import type { MaintenanceHandler } from '../main.ts';

export const PURGE_INBOUND_EVENTS = 'purge-inbound-events';
const CHUNK = 5_000;
const MAX_CHUNKS_PER_RUN = 100;

/** D15: storefront event ids are remembered 30 days; older ones go, in bounded chunks. */
export function purgeInboundEvents(container: Container): MaintenanceHandler {
  return async (payload) => {
    const asOf = payload.asOf ? new Date(payload.asOf) : container.clock.now();
    const before = new Date(asOf.getTime() - EVENT_RETENTION_DAYS * 86_400_000);
    let purged = 0;
    for (let chunk = 0; chunk < MAX_CHUNKS_PER_RUN; chunk++) {
      const deleted = await container.events.purgeSeen(before, CHUNK);
      purged += deleted;
      if (deleted < CHUNK) break;
    }
    return { purged };
  };
}
