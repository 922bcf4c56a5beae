/**
 * Pure rules of an import (docs/imports.md): reading NDJSON into import lines, each line's problems, and which lines
 * of a batch apply, which repeat an import already made and which reuse its reference with other data. No I/O.
 */
import { DomainError, validationFailed, type FieldError } from '../common/errors.ts';
import { EXTERNAL_ID_MAX_LENGTH, EXTERNAL_ID_PATTERN } from '../common/ids.ts';
import { MAX_AMOUNT } from '../common/money.ts';
import type { Imported, ImportLine, ImportLineError } from './import-types.ts';

/** Lines one request may carry (blank lines not counted): about 10 s of work, the body limit allowing. */
export const IMPORT_MAX_LINES = 10_000;
/** Lines applied in one transaction: the members of a batch stay locked while it runs. */
export const IMPORT_BATCH_LINES = 500;
/** As `PUT /v1/members` takes an e-mail (members/schemas.ts). */
export const EMAIL_MAX_LENGTH = 320;

const FIELDS = new Set(['customerId', 'email', 'points', 'expiresAt', 'reference']);
const ID = new RegExp(EXTERNAL_ID_PATTERN, 'u');
/** A UTF-16 half without its other half: PostgreSQL text would keep U+FFFD instead (the API refuses it everywhere). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
/** ajv-formats' `email` (full mode), as the API's schemas check an e-mail. */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
/** RFC 3339 date-time with its offset: `Z` or `±hh:mm`. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

export interface ParsedImport {
  lines: ImportLine[];
  errors: ImportLineError[];
}

/**
 * Reads NDJSON: one JSON object a line, `\n` or `\r\n` between lines, a byte order mark at the start and blank lines
 * skipped. Line numbers count every line from `firstLine` (so they name lines of the file). A line that is not an
 * import line is an error of its own; the others are returned. Throws validation_failed when no line is there,
 * payload_too_large past `maxLines` lines.
 */
export function parseImport(text: string, now: Date, { maxLines = IMPORT_MAX_LINES, firstLine = 1 } = {}): ParsedImport {
  const raw = text.replace(/^\uFEFF/, '').split('\n');
  const numbered = raw.map((content, i) => ({ line: firstLine + i, content: content.replace(/\r$/, '') }));
  const present = numbered.filter((l) => l.content.trim() !== '');
  if (present.length === 0) throw validationFailed([{ field: '/', message: 'has no lines: send one JSON object a line' }]);
  if (present.length > maxLines) {
    throw new DomainError('payload_too_large', `At most ${maxLines.toLocaleString('en-US')} lines a request; this one has ${present.length.toLocaleString('en-US')}: send the rest in another`, {
      maxLines,
    });
  }
  const lines: ImportLine[] = [];
  const errors: ImportLineError[] = [];
  for (const { line, content } of present) {
    const read = readLine(line, content, now);
    if ('code' in read) errors.push(read);
    else lines.push(read);
  }
  return { lines, errors };
}

function readLine(line: number, content: string, now: Date): ImportLine | ImportLineError {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return { line, code: 'invalid_json', detail: 'The line is not valid JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { line, code: 'validation_failed', detail: '/: must be a JSON object' };
  }
  const fields = value as Record<string, unknown>;
  const problems = lineProblems(fields, now);
  if (problems.length > 0) return { line, code: 'validation_failed', detail: problems.map((p) => `${p.field}: ${p.message}`).join('; ') };
  return {
    line,
    customerId: fields.customerId as string,
    email: typeof fields.email === 'string' ? fields.email.toLowerCase() : null,
    points: fields.points as number,
    expiresAt: typeof fields.expiresAt === 'string' ? instant(fields.expiresAt) : null,
    reference: fields.reference as string,
  };
}

/** What is wrong with an import line's fields, as JSON Pointers and messages; empty when nothing is. */
export function lineProblems(fields: Record<string, unknown>, now: Date): FieldError[] {
  const problems: FieldError[] = [];
  const add = (field: string, message: string | null) => {
    if (message) problems.push({ field, message });
  };
  add('/customerId', idProblem(fields.customerId));
  if (fields.email !== undefined && fields.email !== null) add('/email', emailProblem(fields.email));
  add('/points', pointsProblem(fields.points));
  if (fields.expiresAt !== undefined && fields.expiresAt !== null) add('/expiresAt', expiryProblem(fields.expiresAt, now));
  add('/reference', idProblem(fields.reference));
  for (const name of Object.keys(fields)) {
    if (!FIELDS.has(name)) add(`/${pointer(name)}`, 'is not a field of an import line (customerId, email, points, expiresAt, reference)');
  }
  return problems;
}

/** An id the shop chose (a customer id, a reference), as the API takes one (api/schemas.ts ExternalId). */
function idProblem(value: unknown): string | null {
  if (value === undefined) return 'is required';
  if (typeof value !== 'string') return 'must be a string';
  const length = [...value].length;
  if (length < 1 || length > EXTERNAL_ID_MAX_LENGTH) return `must be 1 to ${EXTERNAL_ID_MAX_LENGTH} characters`;
  if (!ID.test(value)) return 'must not be blank nor hold control characters';
  if (LONE_SURROGATE.test(value)) return 'must not contain an unpaired surrogate';
  return null;
}

function emailProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string or null';
  if ([...value].length > EMAIL_MAX_LENGTH) return `must be at most ${EMAIL_MAX_LENGTH} characters`;
  return EMAIL.test(value) ? null : 'must be an e-mail address';
}

function pointsProblem(value: unknown): string | null {
  if (value === undefined) return 'is required';
  if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be a whole number';
  return value >= 1 && value <= MAX_AMOUNT ? null : `must be from 1 to ${MAX_AMOUNT}`;
}

function expiryProblem(value: unknown, now: Date): string | null {
  if (typeof value !== 'string') return 'must be an RFC 3339 date-time or null';
  if (!isDateTime(value)) return 'must be an RFC 3339 date-time with its offset (2027-12-31T23:59:59Z)';
  return instant(value) > now ? null : 'must be in the future (points already expired are not imported)';
}

/** The instant of an RFC 3339 date-time (`t`, `z` and a space separator as `T` and `Z`, which Date.parse needs). */
function instant(value: string): Date {
  return new Date(value.slice(0, 10) + 'T' + value.slice(11).toUpperCase());
}

/** RFC 3339 date-time naming an instant that exists (not 2027-02-30, not 24:00), with `Z` or `±hh:mm`. */
export function isDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const realDay = calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
  const offsetOk = m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  return realDay && hour <= 23 && minute <= 59 && second <= 59 && offsetOk && !Number.isNaN(instant(value).getTime());
}

function pointer(name: string): string {
  const shown = [...name].slice(0, 64).join('');
  return shown.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** A line's fate in its batch: applied (into a lot expiring at `lotExpiresAt`), a repeat, or an error. */
export type LineOutcome =
  | { kind: 'apply'; line: ImportLine; lotExpiresAt: Date | null }
  | { kind: 'duplicate'; line: ImportLine }
  | { kind: 'error'; error: ImportLineError };

/**
 * Idempotent per reference: a line whose reference the shop imported before (`before`) or an earlier line of the
 * batch carries is a repeat when it says the same (customer, points, and expiry if it names one), else
 * reference_reused. `defaultExpiry` is the lot expiry of a line without `expiresAt` (the program's, D8).
 */
export function classifyBatch(batch: readonly ImportLine[], before: ReadonlyMap<string, Imported>, defaultExpiry: Date | null): LineOutcome[] {
  const seen = new Map(before);
  return batch.map((line): LineOutcome => {
    const prior = seen.get(line.reference);
    if (prior === undefined) {
      const lotExpiresAt = line.expiresAt ?? defaultExpiry;
      seen.set(line.reference, { reference: line.reference, customerId: line.customerId, points: line.points, expiresAt: lotExpiresAt });
      return { kind: 'apply', line, lotExpiresAt };
    }
    if (sameImport(line, prior)) return { kind: 'duplicate', line };
    return { kind: 'error', error: { line: line.line, code: 'reference_reused', detail: reusedDetail(line, prior) } };
  });
}

/** Whether `line` says what the import made before said; an erased member's customer id is not known any more. */
export function sameImport(line: ImportLine, prior: Imported): boolean {
  return (
    prior.points === line.points &&
    (prior.customerId === null || prior.customerId === line.customerId) &&
    (line.expiresAt === null || prior.expiresAt?.getTime() === line.expiresAt.getTime())
  );
}

/**
 * What differs, without the other customer's id: a stored idempotent answer (D15) must not name a customer that a
 * later erasure (D19) could not find in it.
 */
function reusedDetail(line: ImportLine, prior: Imported): string {
  const differs = [
    ...(prior.customerId !== null && prior.customerId !== line.customerId ? ['for another customer'] : []),
    ...(prior.points !== line.points ? [`${prior.points} points`] : []),
    ...(line.expiresAt !== null && prior.expiresAt?.getTime() !== line.expiresAt.getTime()
      ? [prior.expiresAt ? `expiring ${prior.expiresAt.toISOString()}` : 'without expiry']
      : []),
  ];
  return `Reference ${JSON.stringify(prior.reference)} was imported with other data: ${differs.join(', ')}`;
}

/** `items` in consecutive groups of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
