import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { redactMessage, withoutDatabaseValues } from '../../services/core/common/error-redaction.ts';
import { lazyRequestLogger } from '../../services/api/request-log.ts';
import { createLogger } from '../../services/core/common/logging.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('info', 'test', stream) };
}

describe('log redaction', () => {
  it('never writes credentials or e-mail addresses', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer lj_sk_SECRETKEY', 'lojal-signature': 't=1,v1=SIGNATURE' } },
        created: { apiKey: 'lj_sk_SECRETKEY', webhookSecret: 'lj_whsec_SECRET' },
        member: { profile: { email: 'ana@example.com' } },
        email: 'bob@example.com',
      },
      'something happened',
    );
    const line = lines.join('');
    expect(line).toContain('something happened');
    for (const leaked of ['SECRETKEY', 'SIGNATURE', 'lj_whsec_SECRET', 'ana@example.com', 'bob@example.com']) {
      expect(line).not.toContain(leaked);
    }
    expect(line).toContain('[redacted]');
  });
});

describe('database error messages (D19)', () => {
  const known = new Set(['members', 'email', 'members_shop_customer']);
  it.each([
    ['keeps names of the statement', 'null value in column "email" of relation "members" violates not-null constraint', 'null value in column "email" of relation "members" violates not-null constraint'],
    ['drops a quoted value', 'invalid input syntax for type date: "1990-13-45"', 'invalid input syntax for type date: "[redacted]"'],
    ['keeps the text after the value', 'value "ana@example.com" is out of range for type integer', 'value "[redacted]" is out of range for type integer'],
    ['drops a value that holds quotes, whole', 'invalid input syntax for type integer: "a"b"c"', 'invalid input syntax for type integer: "[redacted]"'],
    ['drops a value that looks like a name and then some', 'invalid input syntax for type integer: "members" Ana"', 'invalid input syntax for type integer: "[redacted]"'],
    ['drops a word that is no name of the statement', 'relation "ana" does not exist', 'relation "[redacted]" does not exist'],
  ])('%s', (_label, message, expected) => {
    expect(redactMessage(message, known)).toBe(expected);
  });

  it('logs a database error with its SQLSTATE and statement, without parameters, detail or quoted values', () => {
    const { lines, logger } = capture();
    const cause = Object.assign(new Error('invalid input syntax for type date: "1990-13-45"'), {
      code: '22007', severity: 'ERROR', detail: 'Key (email)=(ana@example.com) already exists.', where: 'ana', hint: 'Ana',
    });
    const error = Object.assign(new Error('Failed query: insert into "members" ("email") values ($1)\nparams: ana@example.com,Ana,1990-13-45', { cause }), {
      query: 'insert into "members" ("email") values ($1)', params: ['ana@example.com', 'Ana', '1990-13-45'],
    });
    logger.error({ err: error }, 'unhandled error');
    const line = lines.join('');
    for (const leaked of ['ana@example.com', 'Ana', '1990-13-45']) expect(line).not.toContain(leaked);
    expect(JSON.parse(line).err).toMatchObject({ code: '22007', query: 'insert into "members" ("email") values ($1)' });
  });

  it('leaves other errors as they are', () => {
    const error = Object.assign(new Error('something "quoted" broke'), { code: 'ECONNREFUSED', port: 5432 });
    expect(withoutDatabaseValues(error)).toBe(error);
  });
});

describe("a request's logger (request-log.ts)", () => {
  it('is made on its first line: a request that writes none makes no child logger', () => {
    const { logger } = capture();
    const child = vi.spyOn(logger, 'child');
    const log = lazyRequestLogger(logger, { reqId: 'req-quiet' }, {});
    expect(log.level).toBe('info');
    expect(child).not.toHaveBeenCalled();
  });

  it("writes the child's lines: its request id, the same redaction, one child for every line", () => {
    const { lines, logger } = capture();
    const child = vi.spyOn(logger, 'child');
    const log = lazyRequestLogger(logger, { reqId: 'req-1' }, {});
    log.warn({ email: 'ana@example.com', member: { email: 'bob@example.com' } }, 'first');
    log.error('second');
    log.debug('below the level: not written');
    expect(child).toHaveBeenCalledTimes(1);
    const written = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(written).toMatchObject([
      { reqId: 'req-1', level: 40, msg: 'first', email: '[redacted]', member: { email: '[redacted]' } },
      { reqId: 'req-1', level: 50, msg: 'second' },
    ]);
    expect(lines.join('')).not.toContain('example.com');
    expect((log.child({ job: 'j' }) as Logger).bindings()).toMatchObject({ reqId: 'req-1', job: 'j' });
  });
});

describe('standard output (createLogger without a destination)', () => {
  const logging = new URL('../../services/core/common/logging.ts', import.meta.url).href;
  const run = (script: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { createLogger } from '${logging}'; ${script}`], { encoding: 'utf8', timeout: 20_000 });

  it('writes in blocks off the event loop, at least once a second, and the rest on exit', () => {
    const { stdout, status } = run(`
      import { writeSync } from 'node:fs';
      const log = createLogger('info', 'blocks');
      log.info({ email: 'ana@example.com' }, 'first');
      writeSync(1, 'MARK\\n');
      setTimeout(() => { writeSync(1, 'LATER\\n'); log.info('last'); process.exit(3); }, 1_500);`);
    expect(status).toBe(3);
    const lines = stdout.trim().split('\n');
    expect(lines.map((line) => (line.startsWith('{') ? JSON.parse(line).msg : line))).toEqual(['MARK', 'first', 'LATER', 'last']);
    expect(stdout).not.toContain('ana@example.com');
  });

  it("line by line for the CLI: a line keeps its place in the command's own output", () => {
    const { stdout, status } = run(`
      import { writeSync } from 'node:fs';
      import { lineByLine } from '${logging}';
      createLogger('warn', 'cli', lineByLine()).warn('first');
      writeSync(1, 'MARK\\n');`);
    expect(status).toBe(0);
    expect(stdout.trim().split('\n').map((line) => (line.startsWith('{') ? JSON.parse(line).msg : line))).toEqual(['first', 'MARK']);
  });
});
