import type { Database } from '../../db/client.ts';
import { withTx, type Tx } from '../../db/tx.ts';
import type { Clock } from '../common/clock.ts';
import { DomainError } from '../common/errors.ts';
import { newId } from '../common/ids.ts';
import { lotExpiry } from '../earning/expiry-rules.ts';
import { importsByReference, isImportConflict } from '../ledger/entry-repo.ts';
import { post } from '../ledger/posting.ts';
import { insertAbsentMembers, lockMembersByCustomer } from '../members/member-repo.ts';
import type { Member } from '../members/member-types.ts';
import type { ProgramService } from '../program/program-service.ts';
import { batches, classifyBatch, IMPORT_BATCH_LINES, parseImport, type LineOutcome } from './import-rules.ts';
import type { ImportLine, ImportLineError, ImportResult } from './import-types.ts';

export type ImportService = ReturnType<typeof createImportService>;

/** A batch that met a concurrent import of one of its references is read and applied again, this many times at most. */
const MAX_ATTEMPTS = 5;

interface Deps {
  database: Database;
  clock: Clock;
  program: ProgramService;
}

/**
 * Points carried over from another system (docs/imports.md). Each applied line is one `import` entry into
 * `available`, a lot expiring at the line's `expiresAt` or, without one, as the program's expiry policy dates a
 * lot credited now (D8). Idempotent per (shop, reference).
 */
export function createImportService({ database, clock, program }: Deps) {
  return {
    /**
     * Imports NDJSON `text` for the shop, `IMPORT_BATCH_LINES` lines a transaction: a line that cannot be applied is
     * reported and the others are applied. A customer id the shop has not sent before becomes a member (the line's
     * e-mail, not verified) with no sign-up bonus: an import is not a sign-up (D11). `firstLine` numbers the text's
     * first line (a file read in parts). Throws validation_failed (no line), payload_too_large (over `maxLines`).
     */
    async importText(shopId: string, text: string, actor: string, options: { maxLines?: number; firstLine?: number } = {}): Promise<ImportResult> {
      const { lines, errors } = parseImport(text, clock.now(), options);
      const result: ImportResult = { applied: 0, duplicates: 0, membersCreated: 0, errors };
      for (const batch of batches(lines, IMPORT_BATCH_LINES)) {
        const done = await applyBatch(shopId, batch, actor);
        result.applied += done.applied;
        result.duplicates += done.duplicates;
        result.membersCreated += done.membersCreated;
        result.errors.push(...done.errors);
      }
      result.errors.sort((a, b) => a.line - b.line);
      return result;
    },
  };

  /** One batch in one transaction, again from the start when a concurrent import of one of its references won. */
  async function applyBatch(shopId: string, batch: ImportLine[], actor: string): Promise<ImportResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await withTx(database.db, (tx) => applyIn(tx, shopId, batch, actor, clock.now()));
      } catch (error) {
        // Principle 5: the unique index refused a reference another import committed meanwhile: read again, and
        // the line is then a repeat (or a reuse) of that import.
        if (attempt < MAX_ATTEMPTS && isImportConflict(error)) continue;
        throw error;
      }
    }
  }

  /**
   * Reads what the shop imported before under the batch's references, creates the members the lines to apply
   * name, locks them (id order), and posts each line under its member's lock (D13).
   */
  async function applyIn(tx: Tx, shopId: string, batch: ImportLine[], actor: string, now: Date): Promise<ImportResult> {
    const settings = await program.get(shopId, tx);
    const before = await importsByReference(tx, shopId, [...new Set(batch.map((l) => l.reference))]);
    const outcomes = classifyBatch(batch, new Map(before.map((b) => [b.reference, b])), lotExpiry(settings.expiry, now));
    const toApply = outcomes.flatMap((o) => (o.kind === 'apply' ? [o.line] : []));
    const membersCreated = await insertAbsentMembers(tx, shopId, newMembers(toApply, now), now);
    const locked = await lockMembersByCustomer(tx, shopId, [...new Set(toApply.map((l) => l.customerId))]);
    const members = new Map(locked.map((m) => [m.customerId, m]));
    const result: ImportResult = { applied: 0, duplicates: 0, membersCreated, errors: [] };
    const failed = new Map<string, ImportLineError>();
    for (const outcome of outcomes) {
      const error = await postOutcome(tx, outcome, members, failed, actor, now);
      if (error) result.errors.push(error);
      else if (outcome.kind === 'apply') result.applied++;
      else result.duplicates++;
    }
    return result;
  }
}

/** One member a customer id each, with the first e-mail its lines give. */
function newMembers(lines: ImportLine[], now: Date): { id: string; customerId: string; email: string | null }[] {
  const byCustomer = new Map<string, { id: string; customerId: string; email: string | null }>();
  for (const line of lines) {
    const known = byCustomer.get(line.customerId);
    if (!known) byCustomer.set(line.customerId, { id: newId('mem', now.getTime()), customerId: line.customerId, email: line.email });
    else known.email ??= line.email;
  }
  return [...byCustomer.values()];
}

/**
 * Posts a line to apply, under its member's lock, keeping the member as the posting left it. Returns the line's
 * error, if any: its own, or (a repeat of a line of this batch that could not be applied) that line's.
 */
async function postOutcome(
  tx: Tx,
  outcome: LineOutcome,
  members: Map<string, Member>,
  failed: Map<string, ImportLineError>,
  actor: string,
  now: Date,
): Promise<ImportLineError | null> {
  if (outcome.kind === 'error') return outcome.error;
  const { line } = outcome;
  const earlier = failed.get(line.reference);
  if (outcome.kind === 'duplicate') return earlier ? { ...earlier, line: line.line } : null;
  const member = members.get(line.customerId);
  const refuse = (refused: ImportLineError) => (failed.set(line.reference, refused), refused);
  // Only a customer id that is an erased member's pseudonym (D19) is neither found nor created.
  if (!member) return refuse({ line: line.line, code: 'validation_failed', detail: '/customerId: names an erased member' });
  try {
    const posted = await post(tx, member, {
      move: { kind: 'import', from: null, to: 'available', points: line.points },
      actor,
      reference: line.reference,
      lotExpiresAt: outcome.lotExpiresAt,
    }, now);
    members.set(line.customerId, posted.member);
    return null;
  } catch (error) {
    // D1: checked before anything is written, so the transaction goes on with the other lines.
    if (!(error instanceof DomainError) || error.code !== 'out_of_range') throw error;
    return refuse({ line: line.line, code: 'out_of_range', detail: error.message });
  }
}
