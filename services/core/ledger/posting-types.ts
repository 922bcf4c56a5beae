import type { Fragment, Param } from '../../db/sql.ts';
import type { BalanceWrite } from '../members/member-repo.ts';
import type { Entry } from './ledger-types.ts';

/** A planned posting, as its one statement writes it (see posting-repo.ts). */
export interface PostingWrite {
  entry: Entry;
  /** A lot the entry creates, inserted with its final remainder (its creation and any debt repaid from it). */
  newLot: { id: string; amount: number; remaining: number; expiresAt: Date | null } | null;
  /** Net changes to existing lots' remainders. */
  lotChanges: { lotId: string; points: number }[];
  /** Every movement the entry makes, the new lot's creation included. */
  movements: { lotId: string; points: number }[];
  member: BalanceWrite;
}

/** The parameters every part of a posting's statement shares. */
export interface SharedParams {
  shop: Param;
  entryId: Param;
  at: Param;
}

/**
 * Rows another table writes in a posting's statement, under the member's guard: common table expressions that
 * read `member` (a hold's redemption row, a commit's mark, an order event's event and order rows). With
 * `allOrNothing`, a condition over them that must hold, or the whole statement fails with LJ001 and writes nothing.
 */
export type Attachment = (shared: SharedParams) => { ctes: Fragment[]; allOrNothing?: Fragment };
