import type { Database } from '../../db/client.ts';
import { withdrawMarketingConsent } from '../members/member-repo.ts';
import type { Clock } from '../common/clock.ts';
import { DomainError } from '../common/errors.ts';
import { verifyToken } from './unsubscribe-token.ts';

export type UnsubscribeService = ReturnType<typeof createUnsubscribeService>;

/** D17: the signed link in every message turns the member's marketing consent off. */
export function createUnsubscribeService({ database, clock, secretKey }: { database: Database; clock: Clock; secretKey: Buffer }) {
  return {
    /**
     * Idempotent; a member that is gone (erased, its shop deleted) has nothing left to withdraw and gets the same
     * answer. Returns the locale for the answer page. Throws unsubscribe_token_invalid.
     */
    async unsubscribe(token: string): Promise<{ locale: string | null }> {
      const claims = verifyToken(secretKey, 'unsubscribe', token);
      if (!claims) throw new DomainError('unsubscribe_token_invalid', 'This unsubscribe link is not one Lojal signed: it may have been cut or altered');
      const member = await withdrawMarketingConsent(database.db, claims.shopId, claims.memberId, clock.now());
      return { locale: member?.locale ?? null };
    },
  };
}
