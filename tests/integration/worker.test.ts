import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJob } from '../../services/core/jobs/job-registry.ts';
import { createLogger } from '../../services/core/common/logging.ts';
import { startWorker, type RunningWorker } from '../../services/worker/main.ts';
import { buildTestApp, createShop, type TestApp } from '../helpers/app.ts';
import { adjust, putMember } from '../helpers/members.ts';

const DAY = 86_400_000;
let t: TestApp;
let worker: RunningWorker;
let events: QueueEvents;
beforeAll(async () => {
  t = await buildTestApp();
  // A Redis from before the rename still holds the `mature-awards` scheduler: the worker must remove it at start.
  const legacy = new Queue('maintenance', { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
  await legacy.upsertJobScheduler('mature-awards', { every: 15 * 60_000 }, { name: 'mature-awards', data: {} });
  await legacy.close();
  worker = await startWorker(t.container, createLogger('silent', 'worker'));
  events = new QueueEvents('maintenance', { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
  await events.waitUntilReady();
});
afterAll(async () => {
  await events.close();
  await worker.queues.maintenance.obliterate({ force: true });
  await worker.close();
  await t.close();
});

async function receivedAtOf(shopId: string, eventId: string): Promise<Date> {
  const { rows } = await t.container.database.pool.query('SELECT received_at FROM inbound_events WHERE shop_id = $1 AND event_id = $2', [shopId, eventId]);
  return rows[0].received_at as Date;
}

describe('worker on real Redis', () => {
  it('schedules its sweeps with stable ids, and removes the legacy mature-awards one', async () => {
    await expect
      .poll(async () => (await worker.queues.maintenance.getJobSchedulers()).map((s) => [s.key, s.name, s.every]).sort())
      .toEqual([
        ['birthdays', 'birthdays', 3_600_000],
        ['expire', 'expire', 3_600_000],
        ['feedback-requests', 'feedback-requests', 3_600_000],
        ['mail', 'mail', 60_000],
        ['mature', 'mature', 15 * 60_000],
        ['purge-idempotency-keys', 'purge-idempotency-keys', 3_600_000],
        ['purge-inbound-events', 'purge-inbound-events', 3_600_000],
        ['purge-outbound-history', 'purge-outbound-history', 3_600_000],
        ['release-holds', 'release-holds', 60_000],
        ['remind', 'remind', 3_600_000],
        ['tiers', 'tiers', 15 * 60_000],
        ['webhooks', 'webhooks', 30_000],
      ]);
    expect(await worker.queues.maintenance.getDelayed()).not.toContainEqual(expect.objectContaining({ name: 'mature-awards' }));
  });

  it('matures due awards and forgets event ids after 30 days', async () => {
    const shop = await createShop(t.app);
    const { envelope, order, sendEvent } = await import('../helpers/events.ts');
    const sent = await sendEvent(t.app, shop, envelope('order.completed', { order: order('w-o1') }, new Date().toISOString()));
    expect(sent.statusCode).toBe(202);
    const inFifteenDays = new Date(Date.now() + 15 * 86_400_000).toISOString();
    const matured = await worker.queues.maintenance.add('mature', { asOf: inFifteenDays, shopId: shop.id });
    expect(await matured.waitUntilFinished(events, 10_000)).toEqual({ matured: 1, points: 100 });
    // D15: the id is remembered exactly 30 days from its arrival: a millisecond before, it stays; at 30 days it goes.
    const receivedAt = await receivedAtOf(shop.id, sent.json().id);
    const purgeAsOf = async (ms: number) => {
      const job = await worker.queues.maintenance.add('purge-inbound-events', { asOf: new Date(receivedAt.getTime() + ms).toISOString() });
      await job.waitUntilFinished(events, 10_000);
      return (await t.container.database.pool.query('SELECT event_id FROM inbound_events WHERE shop_id = $1', [shop.id])).rowCount;
    };
    expect(await purgeAsOf(30 * DAY - 1)).toBe(1);
    expect(await purgeAsOf(30 * DAY)).toBe(0);
  });

  it('expires due lots of every shop on its schedule, through the same sweep as the job route (D8)', async () => {
    const shop = await createShop(t.app);
    const { adjust, balanceOf, putMember } = await import('../helpers/members.ts');
    await putMember(t.app, shop, 'x-1');
    const at = new Date(Date.now() + DAY).toISOString();
    expect((await adjust(t.app, shop, 'x-1', { points: 25, expiresAt: at })).statusCode).toBe(201);
    const job = await worker.queues.maintenance.add('expire', { asOf: at });
    expect(await job.waitUntilFinished(events, 10_000)).toEqual({ expired: 1, points: 25 });
    expect(await balanceOf(t.app, shop, 'x-1')).toEqual({ available: 0, pending: 0, held: 0 });
  });

  it('keeps event ids 29 days old and forgets those 31 days old (D15)', async () => {
    const shop = await createShop(t.app);
    const { envelope, order, sendEvent } = await import('../helpers/events.ts');
    await sendEvent(t.app, shop, envelope('order.placed', { order: order('age-1') }, new Date().toISOString(), 'age-1'));
    const receivedAt = await receivedAtOf(shop.id, 'age-1');
    const purge = findJob('purge-inbound-events')!;
    const left = async () => (await t.container.database.pool.query('SELECT event_id FROM inbound_events WHERE shop_id = $1', [shop.id])).rowCount;
    await purge.run(t.container, { shopId: null, asOf: new Date(receivedAt.getTime() + 29 * DAY), dryRun: false });
    expect(await left()).toBe(1);
    await purge.run(t.container, { shopId: null, asOf: new Date(receivedAt.getTime() + 31 * DAY), dryRun: false });
    expect(await left()).toBe(0);
  });

  it('forgets only the event ids received before the cut, a chunk at a time', async () => {
    const shop = await createShop(t.app);
    const { envelope, order, sendEvent } = await import('../helpers/events.ts');
    const ids = async () =>
      (await t.container.database.pool.query('SELECT event_id FROM inbound_events WHERE shop_id = $1 ORDER BY received_at', [shop.id])).rows.map((r) => r.event_id);
    for (const n of [1, 2, 3]) await sendEvent(t.app, shop, envelope('order.completed', { order: order(`p-${n}`) }, new Date().toISOString(), `old-${n}`));
    await new Promise((r) => setTimeout(r, 5));
    const cut = new Date();
    await new Promise((r) => setTimeout(r, 5));
    await sendEvent(t.app, shop, envelope('order.completed', { order: order('p-4') }, new Date().toISOString(), 'new-1'));
    // Other shops' older events count too: the purge is for every shop; this shop's tell what went.
    expect(await t.container.events.purgeSeen(cut, 2)).toBe(2);
    while ((await t.container.events.purgeSeen(cut, 2)) > 0);
    expect(await ids()).toEqual(['new-1']);
  });

  it('purges idempotency keys past their 24 hours, and only those', async () => {
    const shop = await createShop(t.app);
    await putMember(t.app, shop, 'w-1');
    await adjust(t.app, shop, 'w-1', { points: 5 }, { 'idempotency-key': 'old' });
    await adjust(t.app, shop, 'w-1', { points: 5 }, { 'idempotency-key': 'new' });
    await t.container.database.pool.query(
      `UPDATE idempotency_keys SET expires_at = now() - interval '1 minute' WHERE shop_id = $1 AND key = 'old'`,
      [shop.id],
    );
    const job = await worker.queues.maintenance.add('purge-idempotency-keys', {});
    expect(await job.waitUntilFinished(events, 10_000)).toEqual({ purged: 1 });
    const left = await t.container.database.pool.query(`SELECT key FROM idempotency_keys WHERE shop_id = $1`, [shop.id]);
    expect(left.rows.map((r) => r.key)).toEqual(['new']);
    // A replay of the purged key runs as a new request.
    const again = await adjust(t.app, shop, 'w-1', { points: 5 }, { 'idempotency-key': 'old' });
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });

  it('a dry run of a purge deletes nothing', async () => {
    const shop = await createShop(t.app);
    const { envelope, order, sendEvent } = await import('../helpers/events.ts');
    await sendEvent(t.app, shop, envelope('order.completed', { order: order('d-1') }, new Date().toISOString(), 'dry-1'));
    const inFortyDays = new Date(Date.now() + 40 * 86_400_000);
    const counts = await findJob('purge-inbound-events')!.run(t.container, { shopId: null, asOf: inFortyDays, dryRun: true });
    expect(counts).toEqual({ purged: 0 });
    const left = await t.container.database.pool.query('SELECT event_id FROM inbound_events WHERE shop_id = $1', [shop.id]);
    expect(left.rows.map((r) => r.event_id)).toEqual(['dry-1']);
  });

  it('fails an unknown job at once, without retries', async () => {
    // `mature-awards` is the old name of `mature`: a job of that name left in a queue fails the same way.
    for (const name of ['no-such-job', 'mature-awards']) {
      const job = await worker.queues.maintenance.add(name, {}, { attempts: 5 });
      await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/no handler/);
      const failed = await worker.queues.maintenance.getJob(job.id!);
      expect(failed?.attemptsMade).toBe(1);
    }
  });
});
