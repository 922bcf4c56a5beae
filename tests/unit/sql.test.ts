import { describe, expect, it } from 'vitest';
import { build, join, param, raw, sql, statementName } from '../../services/db/sql.ts';

describe('the sql tag', () => {
  it('turns every interpolated value into a parameter, numbered as the text is written', () => {
    const email = "a'; DROP TABLE members; --";
    expect(build(sql`SELECT * FROM members WHERE shop_id = ${'shop_1'} AND email = ${email} LIMIT ${5}`)).toMatchObject({
      text: 'SELECT * FROM members WHERE shop_id = $1 AND email = $2 LIMIT $3',
      values: ['shop_1', email, 5],
    });
  });

  it('splices fragments in place and numbers their values where they land', () => {
    const where = sql`shop_id = ${'s'} AND id = ${'m'}`;
    const statement = build(sql`UPDATE members SET locale = ${'pl'} WHERE ${where} RETURNING ${raw('id')}`);
    expect(statement.text).toBe('UPDATE members SET locale = $1 WHERE shop_id = $2 AND id = $3 RETURNING id');
    expect(statement.values).toEqual(['pl', 's', 'm']);
  });

  it('gives a param one number wherever it is used, with its cast at each use', () => {
    const shop = param('s');
    const at = param(new Date(0), 'timestamptz');
    const statement = build(sql`${shop}, ${at}, ${'x'}, ${shop}, ${at}`);
    expect(statement.text).toBe('$1, $2::timestamptz, $3, $1, $2::timestamptz');
    expect(statement.values).toEqual(['s', new Date(0), 'x']);
  });

  it('a param object is one parameter; two params of equal values are two', () => {
    expect(build(sql`${param(1)} ${param(1)}`).text).toBe('$1 $2');
  });

  it('joins fragments with a separator (none: empty text)', () => {
    const parts = [sql`a = ${1}`, sql`b = ${2}`, sql`c = ${3}`];
    expect(build(join(parts, ', '))).toMatchObject({ text: 'a = $1, b = $2, c = $3', values: [1, 2, 3] });
    expect(build(join([], ', '))).toMatchObject({ text: '', values: [] });
    expect(build(sql`x${join([sql`${'only'}`], ',')}y`)).toMatchObject({ text: 'x$1y', values: ['only'] });
  });

  it('names a statement after its text: one name for one text, another for another, whatever the values', () => {
    const a = build(sql`SELECT ${1}`);
    const b = build(sql`SELECT ${2}`);
    const c = build(sql`SELECT ${1}::int`);
    expect(a.name).toBe(b.name);
    expect(a.name).not.toBe(c.name);
    expect(a.name).toMatch(/^lojal_[0-9a-f]{20}$/);
    expect(statementName('SELECT $1')).toBe(a.name);
  });
});
