/**
 * D19: database errors without their values. A failed statement's parameters are customers' e-mails, names and
 * birthdays; drizzle lists them in its error message (`Failed query: … params: …`) and in `params`, PostgreSQL
 * quotes them in `detail` (`Key (email)=(…)`, `Failing row contains (…)`) and in some messages (`invalid input
 * syntax for type date: "…"`). What a log needs is the SQLSTATE, the statement's text (every value in it is a
 * parameter, so the text holds none) and the names of the things involved; that is all this keeps.
 */

interface ErrorLike {
  name?: unknown;
  message: string;
  stack?: unknown;
  cause?: unknown;
  [key: string]: unknown;
}

/** The fields of a PostgreSQL error that name things, never values. `detail`, `hint`, `where`, `internalQuery` go. */
const NAMING_FIELDS = ['code', 'severity', 'constraint', 'table', 'column', 'schema', 'dataType', 'routine', 'position'];
const SQLSTATE = /^[0-9A-Z]{5}$/;
const REDACTED = '"[redacted]"';

function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/** A PostgreSQL error (a SQLSTATE and a severity) or drizzle's wrapper of one (the statement and its parameters). */
function isDatabaseError(e: ErrorLike): boolean {
  return (typeof e.code === 'string' && SQLSTATE.test(e.code) && 'severity' in e) || ('params' in e && typeof e.query === 'string');
}

function chainOf(error: ErrorLike): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (let e: unknown = error; isErrorLike(e) && !chain.includes(e) && chain.length < 10; e = e.cause) chain.push(e);
  return chain;
}

/**
 * The error as it may be logged: unchanged when no database error is in its cause chain; otherwise a copy of the
 * chain with only the naming fields, the statement's text (`query`), the SQLSTATE on top (`code`) and messages
 * without quoted values.
 */
export function withoutDatabaseValues(error: unknown): unknown {
  if (!isErrorLike(error)) return error;
  const chain = chainOf(error);
  if (!chain.some(isDatabaseError)) return error;
  const statement = chain.map((e) => e.query).find((q): q is string => typeof q === 'string');
  const known = new Set<string>(statement?.match(/[A-Za-z_][A-Za-z0-9_$]*/g) ?? []);
  for (const e of chain) for (const field of ['constraint', 'table', 'column', 'schema', 'dataType']) if (typeof e[field] === 'string') known.add(e[field]);
  const copies = chain.map((e) => copyWithoutValues(e, known));
  copies.forEach((copy, i) => {
    if (copies[i + 1]) copy.cause = copies[i + 1];
  });
  const top = copies[0]!;
  if (statement !== undefined) top.query = statement;
  top.code ??= chain.map((e) => e.code).find((c) => typeof c === 'string' && SQLSTATE.test(c));
  return top;
}

function copyWithoutValues(e: ErrorLike, known: Set<string>): ErrorLike {
  // The original's prototype keeps its type name (pino logs it as `type`); only own fields chosen here are copied.
  const copy = Object.create(Object.getPrototypeOf(e) as object) as ErrorLike;
  for (const field of NAMING_FIELDS) if (e[field] !== undefined) copy[field] = e[field];
  const name = typeof e.name === 'string' ? e.name : 'Error';
  copy.message = redactMessage(e.message.split('\nparams: ')[0]!, known);
  const frames = typeof e.stack === 'string' ? e.stack.split('\n').filter((line) => /^\s+at /.test(line)) : [];
  copy.stack = [`${name}: ${copy.message}`, ...frames].join('\n');
  return copy;
}

/**
 * Quoted text stays only when it is a name: a word of the statement's text or a name the error itself gives (a
 * constraint, a table). From the first quoted value on, everything up to the last quote goes, so a value that holds
 * quotes itself cannot leave part of it behind; an odd number of quotes loses everything after the first.
 */
export function redactMessage(message: string, known: Set<string>): string {
  const quotes = message.split('"').length - 1;
  if (quotes % 2 === 1) return `${message.slice(0, message.indexOf('"'))}${REDACTED}`;
  for (const match of message.matchAll(/"([^"]*)"/g)) {
    if (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(match[1]!) && known.has(match[1]!)) continue;
    return `${message.slice(0, match.index)}${REDACTED}${message.slice(message.lastIndexOf('"') + 1)}`;
  }
  return message;
}
