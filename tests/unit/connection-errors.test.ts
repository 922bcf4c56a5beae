import { describe, expect, it } from 'vitest';
import { isConnectionFailure } from '../../services/db/tx.ts';

// Which failures the API answers with 503 and Retry-After (the database cannot be reached now) rather than 500.
// tests/integration/db-unavailable.test.ts makes the real ones; this table pins the shapes they arrive in.
const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isConnectionFailure', () => {
  it.each<[string, unknown, boolean]>([
    ['SQLSTATE 08006 connection_failure', coded('08006'), true],
    ['SQLSTATE 08001 cannot connect', coded('08001'), true],
    ['SQLSTATE 08P01 protocol violation', coded('08P01'), true],
    ['57P01 terminated by an administrator', coded('57P01', 'terminating connection due to administrator command'), true],
    ['57P02 crash shutdown', coded('57P02'), true],
    ['57P03 the server is starting', coded('57P03', 'the database system is starting up'), true],
    ['53300 too many connections', coded('53300'), true],
    ['ECONNREFUSED', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), true],
    ['ECONNRESET', coded('ECONNRESET'), true],
    ['every address refused', new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'connect failed'), true],
    ['a query error wrapping a lost connection', new Error('Failed query: select 1', { cause: new Error('Connection terminated unexpectedly') }), true],
    ['the pool timing out', new Error('timeout exceeded when trying to connect'), true],
    ['a connection timeout wrapping its cause', new Error('Connection terminated due to connection timeout', { cause: new Error('x') }), true],
    ['a client whose connection broke', new Error('Client has encountered a connection error and is not queryable'), true],
    ['a closing pool', new Error('Cannot use a pool after calling end on the pool'), true],
    ['40001 serialization failure', coded('40001'), false],
    ['23505 unique violation', coded('23505'), false],
    ['42P01 undefined table (a bug)', coded('42P01', 'relation "x" does not exist'), false],
    ['57014 query cancelled (a timeout of ours)', coded('57014'), false],
    ['a plain error', new Error('boom'), false],
    ['a wrapper around a plain error', new Error('Failed query', { cause: coded('22P02') }), false],
    ['nothing', null, false],
    ['a string', 'Connection terminated', false],
  ])('%s → %s', (_, error, expected) => {
    expect(isConnectionFailure(error)).toBe(expected);
  });

  it('stops on a cycle of causes', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    expect(isConnectionFailure(a)).toBe(false);
  });
});
