import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { members } from '../../services/db/schema/index.ts';
import { query, sql } from '../../services/db/sql.ts';
import { buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { putMember } from '../helpers/members.ts';

/** The person whose data the failing statements carry: none of it may reach a log line. */
const PERSON = { customerId: 'pd-log-1', email: 'jadwiga.log@example.com', firstName: 'Jadwiga', lastName: 'Wisniewska', birthday: '1968-02-30' };

const lines: string[] = [];
const stream = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

let t: TestApp;
let shop: TestShop;

/**
 * Real database errors with personal data in their parameters, made by routes this test adds: through the SQL tag
 * (a unique violation, whose detail names the key's values; a bad date, whose message quotes it) and through
 * drizzle's builder (whose error message lists every parameter).
 */
function failingRoutes(app: TestApp['app']): void {
  const { customerId, email, firstName, lastName } = PERSON;
  app.post('/test/db-error/:kind', async (request) => {
    const { db } = t.container.database;
    const kind = (request.params as { kind: string }).kind;
    const birthday = kind === 'date' ? PERSON.birthday : '1968-02-28';
    if (kind === 'drizzle') {
      const now = new Date();
      await db.insert(members).values({ shopId: shop.id, id: 'mem_dup', customerId, email, firstName, lastName, birthday, createdAt: now, updatedAt: now });
    }
    await query(db, sql`
      INSERT INTO members (shop_id, id, customer_id, email, first_name, last_name, birthday, created_at, updated_at)
      VALUES (${shop.id}, ${'mem_dup'}, ${customerId}, ${email}, ${firstName}, ${lastName}, ${birthday}::date, now(), now())`);
    return { ok: true };
  });
}

beforeAll(async () => {
  t = await buildTestApp({ env: { LOG_LEVEL: 'info' }, logStream: stream, beforeReady: (app) => failingRoutes(app) });
  shop = await createShop(t.app);
  await putMember(t.app, shop, PERSON.customerId, { email: PERSON.email, firstName: PERSON.firstName, lastName: PERSON.lastName });
});
afterAll(() => t.close());

describe('database errors in the logs (D19)', () => {
  it.each([
    ['a unique violation through the SQL tag', 'unique', '23505', 'INSERT INTO members'],
    ['a refused date through the SQL tag', 'date', '22008', 'INSERT INTO members'],
    ['a unique violation through drizzle', 'drizzle', '23505', 'insert into "members"'],
  ])('logs %s with its SQLSTATE and statement, and no parameter value', async (_label, kind, code, statement) => {
    lines.length = 0;
    const response = await t.app.inject({ method: 'POST', url: `/test/db-error/${kind}` });
    expect(response.statusCode).toBe(500);
    const logged = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'unhandled error');
    expect(logged).toHaveLength(1);
    expect(logged[0].err).toMatchObject({ code, query: expect.stringContaining(statement) });
    for (const value of Object.values(PERSON)) expect(lines.join('\n'), value).not.toContain(value);
  });
});

describe('the access log', () => {
  it('one line per request: method, path without its query, request id, status and time', async () => {
    const requestId = 'access-log-1';
    const response = await t.app.inject({ method: 'GET', url: '/v1/unsubscribe?token=secret-token-value', headers: { 'x-request-id': requestId } });
    const mine = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.reqId === requestId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ msg: 'request completed', req: { method: 'GET', url: '/v1/unsubscribe' }, res: { statusCode: response.statusCode } });
    expect(typeof mine[0]!.responseTime).toBe('number');
    expect(lines.join('\n')).not.toContain('secret-token-value');
  });
});
