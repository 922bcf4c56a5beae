import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Db } from '../../services/db/client.ts';
import * as schema from '../../services/db/schema/index.ts';

/**
 * The plans of the service's named statements as one connection runs them (tests/integration/plans.test.ts): a
 * connection whose statements are recorded as the driver sends them, and what PostgreSQL plans for them.
 */

export interface Sent {
  name: string | undefined;
  text: string;
  values: unknown[];
}

export interface TracedConnection {
  client: pg.Client;
  /** A drizzle database on this one connection: what the repositories' `query()` takes as its executor. */
  db: Db;
  /** Every statement sent, in order. */
  sent: Sent[];
  close(): Promise<void>;
}

export async function tracedConnection(url: string): Promise<TracedConnection> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const sent: Sent[] = [];
  const send = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, ...rest: unknown[]) => {
    if (config && typeof config === 'object' && 'text' in config) {
      const { name, text, values } = config as { name?: string; text: string; values?: unknown[] };
      // drizzle passes its parameters beside the config.
      sent.push({ name, text, values: values ?? (Array.isArray(rest[0]) ? rest[0] : []) });
    }
    return send(config, ...rest);
  };
  return { client, db: drizzle(client, { schema, casing: 'snake_case' }), sent, close: () => client.end() };
}

/** A node of EXPLAIN (FORMAT JSON). */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  'Join Filter'?: string;
  Plans?: PlanNode[];
}

/** The plan the connection runs for its prepared statement `name` now: EXECUTE's own choice, generic or custom. */
export async function explainExecute(client: pg.Client, name: string, values: unknown[]): Promise<PlanNode> {
  const args = values.length > 0 ? `(${values.map((v) => literal(client, v)).join(', ')})` : '';
  const { rows } = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) EXECUTE ${name}${args}`);
  return rows[0]!['QUERY PLAN'][0]!.Plan;
}

/** The plan PostgreSQL makes for an unnamed statement with these values (a custom plan, as each run of it gets). */
export async function explainUnnamed(client: pg.Client, text: string, values: unknown[]): Promise<PlanNode> {
  const { rows } = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>({ text: `EXPLAIN (FORMAT JSON) ${text}`, values });
  return rows[0]!['QUERY PLAN'][0]!.Plan;
}

/** How many generic and custom plans PostgreSQL has made for the connection's prepared statement (PG 14+). */
export async function planCounts(client: pg.Client, name: string): Promise<{ generic: number; custom: number }> {
  const { rows } = await client.query<{ generic: string; custom: string }>(
    'SELECT generic_plans AS generic, custom_plans AS custom FROM pg_prepared_statements WHERE name = $1', [name]);
  if (!rows[0]) throw new Error(`${name} is not prepared on this connection`);
  return { generic: Number(rows[0].generic), custom: Number(rows[0].custom) };
}

/** A parameter as an SQL literal of unknown type (EXECUTE casts it to the parameter's type), as pg would send it. */
function literal(client: pg.Client, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return client.escapeLiteral(value.toISOString());
  if (Array.isArray(value)) {
    const items = value.map((v) => (v === null || v === undefined ? 'NULL' : `"${(v instanceof Date ? v.toISOString() : String(v)).replace(/["\\]/g, '\\$&')}"`));
    return client.escapeLiteral(`{${items.join(',')}}`);
  }
  return client.escapeLiteral(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

const SCANS = new Set(['Seq Scan', 'Index Scan', 'Index Only Scan', 'Bitmap Heap Scan', 'Bitmap Index Scan', 'Tid Scan', 'Tid Range Scan', 'Sample Scan']);

/**
 * What is wrong with a plan: a table of `big` read other than through one of the `reads` indexes with every one of
 * the columns named for it bound in its Index Cond (a wrong index, or the right one searched by the shop alone,
 * reads every row of the shop), or (with `all`) an index of `reads` the plan never uses.
 */
export function planProblems(plan: PlanNode, reads: Record<string, readonly string[]>, big: ReadonlySet<string>, all = true): string[] {
  const problems: string[] = [];
  const used = new Set<string>();
  const visit = (node: PlanNode, relation: string | undefined) => {
    const table = node['Relation Name'] ?? relation;
    if (SCANS.has(node['Node Type']) && table && big.has(table)) {
      const index = node['Index Name'];
      if (node['Node Type'] === 'Bitmap Heap Scan') {
        // Its Bitmap Index Scan below names the index.
      } else if (!index) problems.push(`${node['Node Type']} on ${table}`);
      else if (!reads[index]) problems.push(`${table} read through ${index} (${node['Index Cond'] ?? 'no Index Cond'})`);
      else {
        used.add(index);
        const cond = node['Index Cond'] ?? '';
        const unbound = reads[index]!.filter((column) => !new RegExp(`(^|[(\\s.])${column} = `).test(cond));
        if (unbound.length > 0) problems.push(`${index} without ${unbound.join(', ')} in its Index Cond (${cond || 'none'})`);
      }
    }
    // A Bitmap Index Scan has no relation of its own: it reads for the Bitmap Heap Scan above it.
    const bitmap = ['Bitmap Heap Scan', 'BitmapAnd', 'BitmapOr'].includes(node['Node Type']);
    for (const child of node.Plans ?? []) visit(child, bitmap ? table : undefined);
  };
  visit(plan, undefined);
  if (all) for (const index of Object.keys(reads)) if (!used.has(index)) problems.push(`${index} not used`);
  return problems;
}

/** The plan as indented lines (node, relation, index, conditions), for a failure's message. */
export function planText(node: PlanNode, depth = 0): string {
  const on = [node['Relation Name'] && `on ${node['Relation Name']}`, node['Index Name'] && `using ${node['Index Name']}`].filter(Boolean).join(' ');
  const conds = (['Index Cond', 'Filter', 'Join Filter'] as const).filter((k) => node[k]).map((k) => ` [${k}: ${node[k]}]`).join('');
  const line = `${'  '.repeat(depth)}${node['Node Type']} ${on}${conds}`;
  return [line, ...(node.Plans ?? []).map((child) => planText(child, depth + 1))].join('\n');
}
