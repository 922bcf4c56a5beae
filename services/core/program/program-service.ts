import type { Database } from '../../db/client.ts';
import { reader } from '../../db/request-tx.ts';
import type { Executor } from '../../db/tx.ts';
import { findSettings, saveSettings } from './program-repo.ts';
import type { Clock } from '../shared/clock.ts';
import { notFound, validationFailed } from '../shared/errors.ts';
import { SETTINGS_CACHE_MS, ttlCache } from '../shared/ttl-cache.ts';
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
     * whole). The currency is the shop's and cannot change. Throws validation_failed.
     */
    async update(shopId: string, changes: DeepPartial<ProgramSettings>): Promise<ProgramSettings> {
      const current = await read(shopId, reader(db));
      if (changes.currency !== undefined && changes.currency !== current.currency) {
        throw validationFailed([{ field: '/currency', message: `is the shop's currency (${current.currency}) and cannot change` }]);
      }
      const next = merge(current, changes);
      validate(next);
      await saveSettings(db, shopId, next, clock.now());
      cache.delete(shopId);
      return next;
    },
  };
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
