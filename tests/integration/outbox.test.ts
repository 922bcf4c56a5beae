import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../services/db/tx.ts';
import { claimBatch } from '../../services/core/outbox/outbox-repo.ts';
import { dispatchJob, type OutboxJob } from '../../services/core/outbox/event-dispatch.ts';
import type { DomainEvent } from '../../services/core/outbox/outbox-types.ts';
import { createLogger } from '../../services/core/common/logging.ts';
import { fixedClock } from '../../services/core/common/clock.ts';
import { startRelay } from '../../services/worker/outbox-relay.ts';
import { QUEUE_NAMES } from '../../services/worker/queues.ts';
import { ADMIN_TOKEN, buildTestApp, createShop, type TestApp, type TestShop } from '../helpers/app.ts';
import { envelope, order, sendEvent } from '../helpers/events.ts';
import { adjust, putMember } from '../helpers/members.ts';

// D16: every change writes its domain event in the same statement or transaction; the relay moves them to BullMQ
// exactly once per event id, and an outage of Redis only delays them.
const clock = fixedClock('2026-11-20T12:00:00Z');
const logger = createLogger('silent', 'test');
let t: TestApp;
let queue: Queue<OutboxJob>;
beforeAll(async () => {
  t = await buildTestApp({ clock });
  queue = new Queue<OutboxJob>(QUEUE_NAMES.outbox, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await t.close();
});

const pool = () => t.container.database.pool;
const outboxRows = async (shopId: string) =>
  (await pool().query('SELECT type, member_id, entry_id, data FROM outbox WHERE shop_id = $1 ORDER BY id', [shopId])).rows;
const send = async (shop: TestShop, event: unknown) => {
  const response = await sendEvent(t.app, shop, event, { t: Math.floor(clock.now().getTime() / 1000) });
  expect(response.statusCode, response.body).toBe(202);
};
const operatorJob = (shopId: string, name: string, asOf: string) =>
  t.app.inject({ method: 'POST', url: `/v1/admin/shops/${shopId}/jobs/${name}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { asOf } });

describe('every change writes its event with it (D16)', () => {
  it('raises member.created, points.earned, points.matured, redemption.*, points.adjusted, points.expired and member.erased', async () => {
    const shop = await createShop(t.app);
    await t.app.inject({ method: 'PUT', url: '/v1/program', headers: shop.auth, payload: { expiry: { policy: 'afterMonths', months: 12 } } });
    await putMember(t.app, shop, 'c1');
    await send(shop, envelope('order.completed', { order: order('o1') }));
    expect((await operatorJob(shop.id, 'mature', '2026-12-20T12:00:00Z')).statusCode).toBe(200);
    const held = await t.app.inject({ method: 'POST', url: '/v1/redemptions', headers: shop.auth, payload: { customerId: 'c1', points: 40 } });
    expect(held.statusCode, held.body).toBe(201);
    await t.app.inject({ method: 'POST', url: `/v1/redemptions/${held.json().id}/commit`, headers: shop.auth, payload: { orderId: 'o2' } });
    expect((await adjust(t.app, shop, 'c1', { points: 5 })).statusCode).toBe(201);
    expect((await operatorJob(shop.id, 'expire', '2028-01-01T00:00:00Z')).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/members/c1', headers: shop.auth })).statusCode).toBe(204);

    const rows = await outboxRows(shop.id);
    expect(rows.map((r) => r.type)).toEqual([
      'member.created', 'points.earned', 'points.matured', 'redemption.held', 'redemption.committed', 'points.adjusted',
      'points.expired', 'member.erased',
    ]);
    const entries = (await pool().query('SELECT id FROM ledger_entries WHERE shop_id = $1', [shop.id])).rows.map((r) => r.id);
    expect(rows.filter((r) => r.entry_id).map((r) => r.entry_id).sort()).toEqual(entries.sort());
    expect(new Set(rows.map((r) => r.member_id)).size).toBe(1);
  });

  it('writes nothing for a change that is refused or a duplicate event', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'c1');
    expect((await adjust(t.app, shop, 'c1', { points: -5 })).statusCode).toBe(409);
    const completed = envelope('order.completed', { order: order('o1') });
    await send(shop, completed);
    await send(shop, completed);
    await send(shop, envelope('order.completed', { order: order('o1') }));
    expect((await outboxRows(shop.id)).map((r) => r.type)).toEqual(['member.created', 'points.earned']);
  });

  it('an updated member raises no second member.created', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'c1');
    await putMember(t.app, shop, 'c1', { firstName: 'Ewa' });
    expect((await outboxRows(shop.id)).map((r) => r.type)).toEqual(['member.created']);
  });
});

/** The shop's jobs waiting in the outbox queue: groups of its events, in the order they were raised. */
async function waitingJobs(shopId: string) {
  return (await queue.getJobs(['waiting'])).filter((j) => 'events' in j.data && j.data.shopId === shopId) as { id?: string; name: string; data: { shopId: string; events: DomainEvent[] } }[];
}
const relayedEvents = async (shopId: string) => (await waitingJobs(shopId)).flatMap((j) => j.data.events);

describe('the relay (D16)', () => {
  it('hands on each event with the entry and the balance, once, and empties the outbox', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'c1');
    await send(shop, envelope('order.completed', { order: order('o1') }));
    const relay = startRelay(t.container.database, queue, logger, { idleMs: 60_000 });
    await relay.drain();
    await relay.stop();
    expect(await outboxRows(shop.id)).toEqual([]);
    // One job for the shop's two events, named after its first event and its size.
    const jobs = await waitingJobs(shop.id);
    expect(jobs.map((j) => [j.name, j.id])).toEqual([['events', `${jobs[0]!.data.events[0]!.id}+2`]]);
    const events = await relayedEvents(shop.id);
    const earned = events.find((e) => e.type === 'points.earned')!;
    expect(earned).toMatchObject({
      type: 'points.earned',
      occurredAt: '2026-11-20T12:00:00.000Z',
      data: { customerId: 'c1', points: 100, from: null, to: 'pending', orderId: 'o1', balance: { available: 0, pending: 100, held: 0 } },
    });
    expect(events.map((e) => e.type)).toEqual(['member.created', 'points.earned']);
  });

  it('a claim Redis took but whose DELETE did not commit is added again under the same job ids: one job each', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'c1');
    for (let i = 0; i < 3; i++) await adjust(t.app, shop, 'c1', { points: i + 1 });
    // The first add reaches Redis, then the relay "dies" before its DELETE: the transaction rolls back.
    let failAfterAdd = true;
    const dying = new Proxy(queue, {
      get(target, key, receiver) {
        if (key === 'addBulk') return async (jobs: unknown[]) => {
          const added = await target.addBulk(jobs as never);
          if (failAfterAdd) throw new Error('the relay died after Redis took the batch');
          return added;
        };
        return Reflect.get(target, key, receiver);
      },
    });
    const first = startRelay(t.container.database, dying, logger, { idleMs: 60_000 });
    await expect(first.drain()).rejects.toThrow('died');
    await first.stop();
    expect(await outboxRows(shop.id)).toHaveLength(4);
    failAfterAdd = false;
    const second = startRelay(t.container.database, dying, logger, { idleMs: 60_000 });
    await second.drain();
    await second.stop();
    expect(await outboxRows(shop.id)).toEqual([]);
    const jobs = await waitingJobs(shop.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data.events.map((e) => e.type)).toEqual(['member.created', 'points.adjusted', 'points.adjusted', 'points.adjusted']);
  });

  it('two relays at once move every event exactly once', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'c1');
    await Promise.all(Array.from({ length: 30 }, (_, i) => adjust(t.app, shop, 'c1', { points: i + 1 })));
    const before = (await outboxRows(shop.id)).length;
    expect(before).toBe(31);
    const added: string[] = [];
    const counting = new Proxy(queue, {
      get(target, key, receiver) {
        if (key === 'addBulk') return async (jobs: { opts?: { jobId?: string } }[]) => {
          added.push(...jobs.map((j) => j.opts!.jobId!));
          return target.addBulk(jobs as never);
        };
        return Reflect.get(target, key, receiver);
      },
    });
    const relays = [startRelay(t.container.database, counting, logger, { batch: 4, idleMs: 60_000 }), startRelay(t.container.database, counting, logger, { batch: 4, idleMs: 60_000 })];
    await Promise.all(relays.map((r) => r.drain()));
    await Promise.all(relays.map((r) => r.stop()));
    expect(new Set(added).size).toBe(added.length);
    expect(await outboxRows(shop.id)).toEqual([]);
    const events = await relayedEvents(shop.id);
    expect(events).toHaveLength(31);
    expect(new Set(events.map((e) => e.id)).size).toBe(31);
  });

  it('hands on each shop\'s events in groups of its own, in the order they were raised, 50 at most', async () => {
    const [a, b] = [await createShop(t.app), await createShop(t.app)];
    await putMember(t.app, a, 'c1');
    await putMember(t.app, b, 'c1');
    for (let i = 0; i < 60; i++) await adjust(t.app, a, 'c1', { points: i + 1 });
    await adjust(t.app, b, 'c1', { points: 5 });
    const relay = startRelay(t.container.database, queue, logger, { idleMs: 60_000 });
    await relay.drain();
    await relay.stop();
    const jobsOfA = await waitingJobs(a.id);
    expect(jobsOfA.map((j) => j.data.events.length).sort((x, y) => y - x)).toEqual([50, 11]);
    const eventsOfA = jobsOfA.sort((x, y) => y.data.events.length - x.data.events.length).flatMap((j) => j.data.events);
    expect(eventsOfA.map((e) => (e.type === 'points.adjusted' ? (e.data as { points: number }).points : 0))).toEqual([0, ...Array.from({ length: 60 }, (_, i) => i + 1)]);
    expect((await waitingJobs(b.id)).map((j) => j.data.events.map((e) => e.type))).toEqual([['member.created', 'points.adjusted']]);
  });

  it('a group\'s e-mail handler reads its members once, not once per event (m0 has consented: its two messages are made)', async () => {
    const shop = await createShop(t.app);
    for (let i = 0; i < 5; i++) await putMember(t.app, shop, `m${i}`, { email: `m${i}@example.com`, marketingConsent: i === 0 });
    for (let i = 0; i < 10; i++) await send(shop, envelope('order.completed', { order: order(`og-${i}`, { customerId: `m${i % 5}` }) }));
    const relay = startRelay(t.container.database, queue, logger, { idleMs: 60_000 });
    await relay.drain();
    await relay.stop();
    const [job] = await waitingJobs(shop.id);
    expect(job!.data.events.filter((e) => e.type === 'points.earned')).toHaveLength(10);
    const pool = t.container.database.pool;
    const original = pool.query;
    const reads: string[] = [];
    pool.query = function (this: typeof pool, ...args: Parameters<typeof pool.query>) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
      if (/FROM members WHERE/.test(text)) reads.push(text);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof pool.query;
    try {
      await dispatchJob(t.container, job!.data);
    } finally {
      pool.query = original;
    }
    // One read for the group; the two messages sent each read their member as they go (D17).
    expect(reads).toHaveLength(3);
    expect(reads[0]).toContain('unnest(');
    const made = await t.container.database.pool.query(`SELECT count(*)::int AS n FROM mail_messages WHERE shop_id = $1 AND template = 'pointsEarned'`, [shop.id]);
    expect(made.rows[0].n).toBe(2);
  });

  it('while Redis is away the rows stay; once it is back they move, nothing lost', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'c1');
    await adjust(t.app, shop, 'c1', { points: 7 });
    const away = new Queue<OutboxJob>(QUEUE_NAMES.outbox, {
      connection: { host: '127.0.0.1', port: 1, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => null },
      prefix: t.config.queuePrefix,
    });
    away.on('error', () => {});
    const stuck = startRelay(t.container.database, away, logger, { idleMs: 60_000 });
    await expect(stuck.drain()).rejects.toThrow();
    await stuck.stop();
    await away.close().catch(() => {});
    expect((await outboxRows(shop.id)).map((r) => r.type)).toEqual(['member.created', 'points.adjusted']);

    const relay = startRelay(t.container.database, queue, logger, { idleMs: 60_000 });
    await relay.drain();
    await relay.stop();
    expect(await outboxRows(shop.id)).toEqual([]);
    expect((await relayedEvents(shop.id)).map((e) => e.type)).toEqual(['member.created', 'points.adjusted']);
  });

  it('an erased member is no longer named by its events', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'c1');
    await adjust(t.app, shop, 'c1', { points: 3 });
    await t.app.inject({ method: 'DELETE', url: '/v1/members/c1', headers: shop.auth });
    const events = await withTx(t.container.database.db, (tx) => claimBatch(tx, 1000));
    const mine = events.filter((e) => e.shopId === shop.id);
    expect(mine.map((e) => e.type)).toEqual(['member.created', 'points.adjusted', 'member.erased']);
    for (const event of mine) expect(event.data.customerId).toBeNull();
  });
});
