/**
 * The one list of Lojal's jobs: the worker schedules and runs every entry (BullMQ job name and scheduler id = the
 * entry's name); `POST /v1/jobs/{name}` (a shop, for itself) and `POST /v1/admin/shops/{shopId}/jobs/{name}` (an
 * operator, for any shop) run the shop-callable ones for one shop. No Fastify, no BullMQ here. The Container
 * import is type-only: container.ts must never import this file.
 */
import type { Container } from '../container.ts';
import { EVENT_RETENTION_DAYS } from '../events/event-service.ts';
import { MAIL_RETENTION_DAYS, REMINDER_RETENTION_DAYS, WEBHOOK_RETENTION_DAYS } from '../retention/retention-service.ts';
import { notFound } from '../common/errors.ts';
import { sweepInChunks, type SweepLimits } from '../common/sweep.ts';
import { runAsOf, type JobCaller } from './job-rules.ts';

/** One run of a job: for one shop or for every shop (null), as of an instant (D18), for real or dry. */
export interface JobRun {
  readonly shopId: string | null;
  readonly asOf: Date;
  /** Count what would be done, change nothing. */
  readonly dryRun: boolean;
}

/** What a run did (dry: would do), by counter, e.g. `{ matured, points }` or `{ purged }`. */
export type JobCounts = Record<string, number>;

export interface JobDefinition {
  /** One line, for people: the API documentation lists it. */
  readonly description: string;
  /** The worker's schedule: one run for every shop each `everyMs` milliseconds. */
  readonly everyMs: number;
  /**
   * Whether it runs for one shop through the API: a shop key for its own shop, an operator for any shop. Global
   * sweeps do not (the worker runs them).
   */
  readonly shopCallable: boolean;
  readonly run: (container: Container, run: JobRun) => Promise<JobCounts>;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The purges delete with `LIMIT chunk`, at most maxChunks times a run (500 000 rows); the next run goes on. */
const PURGE_SWEEP: SweepLimits = { chunk: 5_000, maxChunks: 100 };

/**
 * The purges are global: they ignore `shopId`, and a dry run deletes nothing and reports `{ purged: 0 }` (it does
 * not count what would go). Neither case arises today: the worker never runs them dry and no API route runs them.
 * The shop-callable jobs' dry runs count exactly what a run would do.
 */
const DEFINITIONS = {
  /** D3. */
  mature: {
    description: 'Pending awards whose pending days have passed become available points',
    everyMs: 15 * MINUTE_MS,
    shopCallable: true,
    run: (container, { shopId, asOf, dryRun }) => container.orders.matureDue(shopId, asOf, dryRun),
  },
  /** D8. */
  expire: {
    description: 'Lots past their expiry date, or of members inactive too long, give up what remains of them',
    everyMs: HOUR_MS,
    shopCallable: true,
    run: async (container, { shopId, asOf, dryRun }) => ({ ...(await container.expiry.expireDue(shopId, asOf, dryRun)) }),
  },
  /** D8: reminders raise `points.expiring`, whose e-mail the `mail` handler sends (D17). */
  remind: {
    description: 'Members whose points expire within a reminder window (remindDaysBefore) are told, once per day and window',
    everyMs: HOUR_MS,
    shopCallable: true,
    run: async (container, run) => ({ ...(await container.reminders.remindDue(run)) }),
  },
  /** D17. */
  mail: {
    description: 'Sends the e-mails waiting for a retry (after a 4xx answer or a failed connection) whose time has come',
    everyMs: MINUTE_MS,
    shopCallable: true,
    run: async (container, run) => ({ ...(await container.mail.sendDue(run)) }),
  },
  /** D6. */
  'release-holds': {
    description: 'Redemption holds past their TTL give their points back',
    everyMs: MINUTE_MS,
    shopCallable: true,
    run: (container, { shopId, asOf, dryRun }) => container.redemptions.releaseExpired(shopId, asOf, dryRun),
  },
  /** D16: failed outbound webhooks are tried again with backoff. */
  webhooks: {
    description: 'Outbound webhook deliveries due for another attempt are sent',
    everyMs: 30_000,
    shopCallable: true,
    run: async (container, run) => ({ ...(await container.webhooks.deliverDue(run)) }),
  },
  /** D9: a changed configuration's re-evaluation, then the downgrade reviews due. */
  tiers: {
    description: 'Re-evaluates members after the tiers change, and moves down members whose window closed below their tier once the grace months have passed',
    everyMs: 15 * MINUTE_MS,
    shopCallable: true,
    run: async (container, { shopId, asOf, dryRun }) => ({ ...(await container.tierSweep.run(shopId, asOf, dryRun)) }),
  },
  /** D14: orders completed `feedbackRequestDays` ago (at most 30 days more) of consenting members. */
  'feedback-requests': {
    description: 'Asks members, by e-mail and with their consent, how likely they are to recommend the shop, feedbackRequestDays after an order completes',
    everyMs: HOUR_MS,
    shopCallable: true,
    run: (container, { shopId, asOf, dryRun }) => container.feedback.requestDue(shopId, asOf, dryRun),
  },
  /** D11: run hourly, so each calendar day of every time zone is looked at; a run gives each member its bonus once. */
  birthdays: {
    description: "Members whose birthday is today in the shop's time zone get the program's birthday bonus, once a year (29 February: on 28 February in other years)",
    everyMs: HOUR_MS,
    shopCallable: true,
    run: async (container, { shopId, asOf, dryRun }) => ({ ...(await container.bonuses.birthdaysDue(shopId, asOf, dryRun)) }),
  },
  /** D15: keys live 24 h. */
  'purge-idempotency-keys': {
    description: 'Deletes idempotency keys past their 24 hours, for every shop',
    everyMs: HOUR_MS,
    shopCallable: false,
    run: async (container, { asOf, dryRun }) => {
      if (dryRun) return { purged: 0 };
      return { purged: await sweepInChunks((limit) => container.idempotency.purgeExpired(limit, asOf), PURGE_SWEEP) };
    },
  },
  /** D15: storefront event ids are remembered EVENT_RETENTION_DAYS days. */
  'purge-inbound-events': {
    description: `Forgets storefront event ids received more than ${EVENT_RETENTION_DAYS} days ago, for every shop`,
    everyMs: HOUR_MS,
    shopCallable: false,
    run: async (container, { asOf, dryRun }) => {
      if (dryRun) return { purged: 0 };
      const before = new Date(asOf.getTime() - EVENT_RETENTION_DAYS * DAY_MS);
      return { purged: await sweepInChunks((limit) => container.events.purgeSeen(before, limit), PURGE_SWEEP) };
    },
  },
  /** Bounded history of the outbound side (retention-service.ts). */
  'purge-outbound-history': {
    description: `Deletes e-mails settled more than ${MAIL_RETENTION_DAYS} days ago, webhook deliveries settled more than ${WEBHOOK_RETENTION_DAYS} days ago and expiry reminders of days more than ${REMINDER_RETENTION_DAYS} days gone, for every shop`,
    everyMs: HOUR_MS,
    shopCallable: false,
    run: async (container, { asOf, dryRun }) => {
      if (dryRun) return { messages: 0, deliveries: 0, reminders: 0 };
      return { ...(await container.retention.purgeOutbound(asOf, PURGE_SWEEP)) };
    },
  },
} as const satisfies Record<string, JobDefinition>;

/** Every job's name; one name per job, the one the HTTP contract uses. */
export type JobName = keyof typeof DEFINITIONS;

export interface Job extends JobDefinition {
  readonly name: JobName;
}

/** Every job, in the order above. */
export const JOBS: readonly Job[] = Object.freeze(
  (Object.keys(DEFINITIONS) as JobName[]).map((name): Job => Object.freeze({ name, ...DEFINITIONS[name] })),
);

/** The job of that name, or undefined; only the registry's own names match (not `constructor` and the like). */
export function findJob(name: string): Job | undefined {
  return JOBS.find((job) => job.name === name);
}

/** The jobs that run for one shop through the API, and their names for an answer that lists them. */
export const SHOP_JOBS: readonly Job[] = JOBS.filter((job) => job.shopCallable);
export const SHOP_JOB_NAMES = SHOP_JOBS.map((job) => job.name).join(', ');

export interface ShopJobRun {
  job: JobName;
  asOf: Date;
  dryRun: boolean;
  counts: JobCounts;
}

/**
 * Runs a shop-callable job for one shop, as of `asOf` (now when absent) (D18): a shop for itself, at most 5
 * minutes ahead of now; an operator for any shop that exists, at any instant. Throws not_found (a job that does not
 * run for one shop, or the operator's unknown shop), as_of_in_future.
 */
export async function runForShop(
  container: Container,
  caller: JobCaller,
  shopId: string,
  name: string,
  options: { asOf?: Date | null; dryRun?: boolean } = {},
): Promise<ShopJobRun> {
  const job = findJob(name);
  // A global sweep is not a shop's: answered as if it did not exist.
  if (!job?.shopCallable) throw notFound(`Job "${name}" (available: ${SHOP_JOB_NAMES})`);
  const asOf = runAsOf(caller, options.asOf ?? null, container.clock.now());
  if (caller === 'operator') await container.shops.getShop(shopId);
  const dryRun = options.dryRun ?? false;
  return { job: job.name, asOf, dryRun, counts: await job.run(container, { shopId, asOf, dryRun }) };
}
