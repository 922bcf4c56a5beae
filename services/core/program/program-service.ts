import { createHash } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { reader, whenRequestTxEnds } from '../../db/request-tx.ts';
import { withTx, type Executor } from '../../db/tx.ts';
import { findSettings, lockProgram, saveSettings } from './program-repo.ts';
import type { Clock } from '../common/clock.ts';
import { notFound, validationFailed } from '../common/errors.ts';
import { checkIfMatch, type IfMatch } from '../common/preconditions.ts';
import { SETTINGS_CACHE_MS, ttlCache } from '../common/ttl-cache.ts';
import { defaultProgram, type ProgramSettings } from './program-types.ts';

export type ProgramService = ReturnType<typeof createProgramService>;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

export function createProgramService({ database, clock }: { database: Database; clock: Clock }) {
  const { db } = database;
  const cache = ttlCache<ProgramSettings>(SETTINGS_CACHE_MS);

  /**
   * The shop's settings over the defaults, cached briefly (changes here clear it). Inside a transaction pass it
   * as `executor`: a transaction must never wait for a second pooled connection. Throws not_found.
   */
  function get(shopId: string, executor: Executor = reader(db)): Promise<ProgramSettings> {
    return cache.get(shopId, () => read(shopId, executor));
  }

  async function read(shopId: string, executor: Executor): Promise<ProgramSettings> {
    const row = await findSettings(executor, shopId);
    if (!row) throw notFound('Shop');
    return merge(defaultProgram(row.currency), (row.settings ?? {}) as DeepPartial<ProgramSettings>);
  }

  return {
    get,

    /**
     * Changes the fields the body names; the others keep their values (nested objects field by field, lists
     * whole). The currency is the shop's and cannot change. Read, merge and write happen under the shop's lock, so
     * concurrent changes of different fields all land; `ifMatch` (a `settingsVersion`) refuses a change to settings
     * that moved on since the caller read them. Inside the request transaction, as every write (D15).
     * Throws validation_failed, precondition_failed.
     */
    async update(shopId: string, changes: DeepPartial<ProgramSettings>, ifMatch?: IfMatch): Promise<ProgramSettings> {
      const next = await withTx(db, async (tx) => {
        if (!(await lockProgram(tx, shopId))) throw notFound('Shop');
        const current = await read(shopId, tx);
        checkIfMatch(ifMatch, settingsVersion(current), 'The program');
        if (changes.currency !== undefined && changes.currency !== current.currency) {
          throw validationFailed([{ field: '/currency', message: `is the shop's currency (${current.currency}) and cannot change` }]);
        }
        const merged = merge(current, changes);
        validate(merged);
        await saveSettings(tx, shopId, merged, clock.now());
        return merged;
      });
      cache.delete(shopId);
      whenRequestTxEnds(() => cache.delete(shopId));
      return next;
    },
  };
}

/**
 * The settings' version, the program's ETag: a digest of their canonical JSON (keys sorted). Equal settings have
 * equal versions, whatever was stored and whenever; it needs no column and no counter.
 */
export function settingsVersion(settings: object): string {
  return createHash('sha256').update(canonicalJson(settings)).digest('base64url').slice(0, 22);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function merge<T extends object>(base: T, changes: DeepPartial<T>): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? merge(current as object, value as object)
        : value;
  }
  return out as T;
}

/** Cross-field rules the schema cannot say. */
function validate(p: ProgramSettings): void {
  const errors: { field: string; message: string }[] = [];
  if (p.expiry.policy !== 'none' && !(p.expiry.months >= 1)) {
    errors.push({ field: '/expiry/months', message: 'must be at least 1 for this policy' });
  }
  if (p.expiry.policy === 'endOfPeriod' && !p.expiry.period) {
    errors.push({ field: '/expiry/period', message: 'is required for endOfPeriod: month or year' });
  }
  if (new Set(p.remindDaysBefore).size !== p.remindDaysBefore.length) {
    errors.push({ field: '/remindDaysBefore', message: 'must not repeat a day' });
  }
  if (errors.length > 0) throw validationFailed(errors);
}
