import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayLiteral } from '../../services/db/array-literal.ts';
import { build, sql, unnestRows } from '../../services/db/sql.ts';
import { createTestDatabase } from '../helpers/db.ts';

// unnestRows sends each column as array text of its own making (array-literal.ts) instead of pg's encoding of the
// JS array. What PostgreSQL reads must be the same: each column below goes both ways, through the real server.

let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: await createTestDatabase() });
  await client.connect();
});
afterAll(() => client.end());

const TEXTS = ['plain', '', 'NULL', 'null', ' spaced ', 'a,b', '{braces}', 'say "hi"', 'back\\slash', '\\"', '"', 'ünïcødé 🎉', 'line\nbreak', "it's"];
const COLUMNS: [string, unknown[]][] = [
  ['text', [...TEXTS, null, undefined]],
  ['bigint', [0, -0, 1, -42, 9_007_199_254_740_991, 9_007_199_254_740_990n, null]],
  ['int', [0, -1, 2_147_483_647, null]],
  ['boolean', [true, false, null]],
  ['timestamptz', [new Date('2026-01-01T00:00:00Z'), new Date('1999-12-31T23:59:59.123Z'), new Date(0), null]],
  ['date', ['2026-02-28', '1968-02-29', null]],
  ['jsonb', [JSON.stringify({ a: 'x "y" \\ z', n: [1, 2] }), JSON.stringify('só'), 'null', null]],
];

describe('array text for unnest (array-literal.ts)', () => {
  it.each(COLUMNS)('a %s column reads the same as pg encodes it', async (type, values) => {
    const [ours, pgs] = await Promise.all([arrayLiteral(values), values].map(async (sent) => {
      const { rows } = await client.query(`SELECT v, v IS NULL AS is_null FROM unnest($1::${type}[]) WITH ORDINALITY AS t(v, n) ORDER BY n`, [sent]);
      return rows;
    }));
    expect(typeof arrayLiteral(values)).toBe('string');
    expect(ours).toHaveLength(values.length);
    expect(ours).toEqual(pgs);
  });

  it('leaves a column it does not encode to pg: objects, bytes, an invalid date', () => {
    for (const values of [[{ a: 1 }], [Buffer.from('x')], ['a', new Date(Number.NaN)], [['nested']]]) {
      expect(arrayLiteral(values)).toBe(values);
    }
  });

  it('unnestRows sends array text, and its rows come back as given', async () => {
    const rows = [['a"1', 1, new Date('2026-03-01T10:00:00Z')], ['b\\2', null, null]] as const;
    const statement = unnestRows('r', [['name', 'text'], ['n', 'bigint'], ['at', 'timestamptz']], [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])], 'i');
    expect(build(statement).values).toEqual(['{"a\\"1","b\\\\2"}', '{"1",NULL}', '{"2026-03-01T10:00:00.000Z",NULL}']);
    const { rows: back } = await client.query(build(sql`SELECT r.name, r.n, r.at FROM ${statement} ORDER BY r.i`));
    expect(back).toEqual([{ name: 'a"1', n: 1, at: new Date('2026-03-01T10:00:00Z') }, { name: 'b\\2', n: null, at: null }]);
  });
});
