import type { Container } from '../../core/container.ts';
import type { MaintenanceHandler } from '../main.ts';

export const MATURE_AWARDS = 'mature-awards';

/** D3: pending awards whose pendingDays have passed become available points, for every shop (or one). */
export function matureAwards(container: Container): MaintenanceHandler {
  return async (payload) => {
    const asOf = payload.asOf ? new Date(payload.asOf) : container.clock.now();
    return container.orders.matureDue(payload.shopId ?? null, asOf);
  };
}
