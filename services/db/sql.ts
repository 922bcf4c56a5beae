import { createHash } from 'node:crypto';
import type pg from 'pg';
import { arrayLiteral } from './array-literal.ts';
import type { Executor } from './tx.ts';

/**
 * SQL as a tagged template: every interpolated value becomes a parameter, so no statement is ever numbered or
 * quoted by hand. A fragment interpolated into another is spliced in (its values numbered where they land), a
 * `param` reused in several places is one parameter, and `ident`/`raw` splice trusted text (column lists written
 * in the source, never input).
 *
 *   const shop = param(shopId);
 *   query(tx, sql`SELECT * FROM orders WHERE shop_id = ${shop} AND order_id = ${orderId}`);
 *
 * A statement's name is derived from its text (`lojal_` + a hash), so one name always means one text: PostgreSQL
 * parses and plans a named statement once per connection, and the composed statements (a posting with only the
 * parts it needs) get one name per shape without anybody keeping a list of names in step. From its sixth run the
 * connection keeps a generic plan, made without the values and, on a new database, without statistics: each hot
 * statement must leave PostgreSQL only its key's index to choose from (docs/operations.md, "Query plans on a new
 * database"; tests/integration/plans.test.ts).
 */
export class Fragment {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}
}

/** A value that keeps one parameter number wherever it is interpolated; `cast` adds `::type` at each use. */
export class Param {
  constructor(
    readonly value: unknown,
    readonly cast?: string,
  ) {}
}

class Raw {
  constructor(readonly text: string) {}
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Fragment {
  return new Fragment(strings, values);
}

/** A value as a parameter with a type cast (`$n::type`): for values whose type PostgreSQL cannot infer. */
export function param(value: unknown, cast?: string): Param {
  return new Param(value, cast);
}

/** Trusted text spliced as is: identifiers and keywords from the source, never input. */
export function raw(text: string): Raw {
  return new Raw(text);
}

/**
 * A fragment from text computed once, at load, from the source (a column list): `strings` around `values`, as a
 * tagged template has them. Keep `strings` in a constant: its identity names the shape.
 */
export function fragment(strings: readonly string[], values: readonly unknown[]): Fragment {
  return new Fragment(strings, values);
}

/** Fragments joined by `separator` (text from the source). */
export function join(fragments: readonly Fragment[], separator: string): Fragment {
  if (fragments.length === 0) return empty;
  return new Fragment(joinStrings(fragments.length, separator), fragments);
}

/** The strings of a join of `count` fragments, one array per (count, separator), so that it has a stable identity. */
const joins = new Map<string, readonly string[]>();
function joinStrings(count: number, separator: string): readonly string[] {
  const key = `${count}\u0000${separator}`;
  let strings = joins.get(key);
  if (!strings) {
    strings = Object.freeze(['', ...Array.from({ length: count - 1 }, () => separator), '']);
    if (joins.size < 1_000) joins.set(key, strings);
  }
  return strings;
}

export const empty = new Fragment([''], []);

export interface Statement {
  name: string;
  text: string;
  values: unknown[];
}

/**
 * Numbers the fragment's parameters as its text is written and names the statement after its text. The text of a
 * shape is rendered once: a statement's text depends only on its template strings (one array per call site),
 * trusted text, casts and which parameters repeat, so those, as tokens, find it again in a tree of shapes.
 */
export function build(fragment: Fragment): Statement {
  const values: unknown[] = [];
  const node = collect(fragment, values, new Map(), shapes);
  if (!node.shape) {
    const text = render(fragment, [], new Map());
    node.shape = { text, name: statementName(text) };
  }
  return { name: node.shape.name, text: node.shape.text, values };
}

/** One step of the tree of shapes: the tokens seen so far lead here; a complete statement's node has its shape. */
interface ShapeNode {
  next: Map<number | string, ShapeNode>;
  shape?: { text: string; name: string };
}

const shapes: ShapeNode = { next: new Map() };
const stringIds = new WeakMap<readonly string[], number>();
let lastStringId = 0;
const VALUE = 0;

function step(node: ShapeNode, token: number | string): ShapeNode {
  let next = node.next.get(token);
  if (!next) node.next.set(token, (next = { next: new Map() }));
  return next;
}

const castTokens = new Map<string | undefined, string>();
function castToken(cast: string | undefined): string {
  let token = castTokens.get(cast);
  if (token === undefined) castTokens.set(cast, (token = `P${cast ?? ''}`));
  return token;
}

/** Collects the fragment's values in placeholder order and walks the tree of shapes by its tokens. */
function collect(fragment: Fragment, values: unknown[], numbers: Map<Param, number>, at: ShapeNode): ShapeNode {
  let id = stringIds.get(fragment.strings);
  if (id === undefined) stringIds.set(fragment.strings, (id = ++lastStringId));
  let node = step(at, id);
  for (const value of fragment.values) {
    if (value instanceof Fragment) node = collect(value, values, numbers, node);
    else if (value instanceof Raw) node = step(node, `r${value.text}`);
    else if (value instanceof Param) {
      const n = numbers.get(value);
      if (n !== undefined) node = step(node, -n);
      else {
        values.push(value.value);
        numbers.set(value, values.length);
        node = step(node, castToken(value.cast));
      }
    } else {
      values.push(value);
      node = step(node, VALUE);
    }
  }
  return node;
}

function render(fragment: Fragment, values: unknown[], numbers: Map<Param, number>): string {
  let text = fragment.strings[0]!;
  fragment.values.forEach((value, i) => {
    text += placeholder(value, values, numbers) + fragment.strings[i + 1]!;
  });
  return text;
}

function placeholder(value: unknown, values: unknown[], numbers: Map<Param, number>): string {
  if (value instanceof Fragment) return render(value, values, numbers);
  if (value instanceof Raw) return value.text;
  if (value instanceof Param) {
    let n = numbers.get(value);
    if (n === undefined) {
      values.push(value.value);
      n = values.length;
      numbers.set(value, n);
    }
    return value.cast ? `$${n}::${value.cast}` : `$${n}`;
  }
  values.push(value);
  return `$${values.length}`;
}

const names = new Map<string, string>();

/** `lojal_` and the first 20 hex digits of the text's SHA-256; remembered, as the same texts come again and again. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `lojal_${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;
    if (names.size < 10_000) names.set(text, name);
  }
  return name;
}

/**
 * The one place that reaches the driver: the pg client behind a drizzle database (its pool) or transaction (its
 * checked-out connection). Statements run named, with pg's own type parsers (timestamps as Date, int8 as number).
 */
function driverClient(executor: Executor): pg.Pool | pg.PoolClient {
  return (executor as unknown as { session: { client: pg.Pool | pg.PoolClient } }).session.client;
}

export async function query<R extends pg.QueryResultRow = Record<string, unknown>>(executor: Executor, fragment: Fragment): Promise<R[]> {
  const statement = build(fragment);
  try {
    return (await driverClient(executor).query<R>(statement)).rows;
  } catch (error) {
    return failed(error, statement);
  }
}

/** Like `query`, for statements whose row count is the answer (DELETE, UPDATE). */
export async function execute(executor: Executor, fragment: Fragment): Promise<number> {
  const statement = build(fragment);
  try {
    return (await driverClient(executor).query(statement)).rowCount ?? 0;
  } catch (error) {
    return failed(error, statement);
  }
}

/**
 * A failed statement's error says which statement it was: its text as `query` (as drizzle's errors do), for the
 * log. The text holds no values (they are parameters), and the logs never show the parameters (D19).
 */
function failed(error: unknown, statement: Statement): never {
  if (typeof error === 'object' && error !== null && !('query' in error)) Object.assign(error, { query: statement.text });
  throw error;
}

/** A timestamp column as a raw row holds it: a Date from pg's parser, text from row_to_json, or null. */
export function dateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : new Date(value as string | Date);
}

/**
 * `unnest($1::t1[], $2::t2[], …) AS alias(c1, c2, …)`: rows given column by column, so one statement (one name, one
 * plan) carries any number of them. `columns` must come from the source (a constant list): its names and types
 * make the text, and the text is made once per list. `ordinality`: a last column numbering the rows from 1. Each
 * column goes as array text (array-literal.ts).
 */
export function unnestRows(
  alias: string,
  columns: readonly (readonly [name: string, type: string])[],
  values: readonly unknown[][],
  ordinality?: string,
): Fragment {
  let shapes = unnests.get(columns);
  if (!shapes) unnests.set(columns, (shapes = new Map()));
  const key = `${alias}\u0000${ordinality ?? ''}`;
  let strings = shapes.get(key);
  if (!strings) {
    const casts = columns.map(([, type]) => `::${type}[]`);
    strings = Object.freeze(['unnest(', ...casts.slice(0, -1).map((cast) => `${cast}, `), `${casts.at(-1)!})${ordinality ? ' WITH ORDINALITY' : ''} AS ${alias}(${[...columns.map(([name]) => name), ...(ordinality ? [ordinality] : [])].join(', ')})`]);
    if (shapes.size < 100) shapes.set(key, strings);
  }
  return fragment(strings, values.map(arrayLiteral));
}
/** The text of each column list's unnest, by the list (a constant in the source) and its alias. */
const unnests = new WeakMap<readonly (readonly [string, string])[], Map<string, readonly string[]>>();
