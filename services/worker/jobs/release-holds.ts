import type { Container } from '../../core/container.ts';
import type { MaintenanceHandler } from '../main.ts';

export const RELEASE_HOLDS = 'release-holds';

/** D6: holds past their TTL give their points back. */
export function releaseHolds(container: Container): MaintenanceHandler {
  return async (payload) => {
    const asOf = payload.asOf ? new Date(payload.asOf) : container.clock.now();
    return container.redemptions.releaseExpired(payload.shopId ?? null, asOf);
  };
}
