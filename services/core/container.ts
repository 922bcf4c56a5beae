import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { createDatabase, type Database } from '../db/client.ts';
import { systemClock, type Clock } from './common/clock.ts';
import { createRedis, type RedisLogger } from './common/redis.ts';
import { createIdempotencyService, type IdempotencyService } from './idempotency/idempotency-service.ts';
import { createLedgerService, type LedgerService } from './ledger/ledger-service.ts';
import { createExpiryService, type ExpiryService } from './ledger/expiry-service.ts';
import { createMemberService, type MemberService } from './members/member-service.ts';
import { createEventService, type EventService } from './events/event-service.ts';
import { createPostingRunner, type PostingRunner } from './ledger/posting-runner.ts';
import { createOrderEvents, type OrderEvents } from './orders/order-events.ts';
import { createOrderLedger } from './orders/order-ledger.ts';
import { createOrderService, type OrderService } from './orders/order-service.ts';
import { createOrderSettlement } from './orders/order-settlement.ts';
import { createRedemptionLedger, type RedemptionLedger } from './redemptions/redemption-ledger.ts';
import { createProgramService, type ProgramService } from './program/program-service.ts';
import { createRedemptionService, type RedemptionService } from './redemptions/redemption-service.ts';
import { createRuleService, type RuleService } from './rules/rule-service.ts';
import { createShopService, type ShopService } from './shops/shop-service.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';
import { createUnsubscribeService, type UnsubscribeService } from './mail/unsubscribe-service.ts';
import { createWebhookService, type WebhookService } from './webhooks/webhook-service.ts';
import { createMailService, type MailService } from './mail/mail-service.ts';
import { createReminderService, type ReminderService } from './ledger/reminder-service.ts';
import { createFeedbackService, type FeedbackService } from './feedback/feedback-service.ts';
import { createRetentionService, type RetentionService } from './retention/retention-service.ts';
import { createTierService, type TierService } from './tiers/tier-service.ts';
import { createTierSweep } from './tiers/tier-sweep.ts';
import { createEarningQuote, type EarningQuoteService } from './earning/earning-quote.ts';
import { createBonusService, type BonusService } from './bonuses/bonus-service.ts';
import { createImportService, type ImportService } from './imports/import-service.ts';
import { createWooCommerceService, type WooCommerceService } from './woocommerce/wc-service.ts';

/** The one composition root: every process (api, worker, cli) builds its services here and nowhere else. */
export interface Container {
  readonly config: Config;
  readonly clock: Clock;
  readonly database: Database;
  /** Connected on first use: the CLI never needs Redis, the API only for readiness. */
  readonly redis: Redis;
  readonly shops: ShopService;
  readonly members: MemberService;
  readonly ledger: LedgerService;
  /** D8: the expiry sweep. */
  readonly expiry: ExpiryService;
  readonly idempotency: IdempotencyService;
  readonly program: ProgramService;
  readonly rules: RuleService;
  readonly redemptions: RedemptionService;
  readonly orders: OrderService;
  readonly events: EventService;
  /** The lock-free and locked postings every balance change goes through. */
  readonly postings: PostingRunner;
  readonly orderEvents: OrderEvents;
  readonly redemptionLedger: RedemptionLedger;
  /** D17: SMTP, or the log without SMTP_URL; `mail` sends through it. */
  readonly mailer: Mailer;
  readonly unsubscribe: UnsubscribeService;
  /** D16: the shop's outbound webhooks: its endpoint, the outbox handler, the retries. */
  readonly webhooks: WebhookService;
  /** D17: the messages domain events ask for, and their retries (the `mail` job). */
  readonly mail: MailService;
  /** D8: the expiry reminders (the `remind` job). */
  readonly reminders: ReminderService;
  /** How long settled e-mails, webhook deliveries and past reminders are kept (the `purge-outbound-history` job). */
  readonly retention: RetentionService;
  /** D14: feedback requests, the score links' pages, answers. */
  readonly feedback: FeedbackService;
  /** D9: the shop's tiers, qualifying credits, upgrades, members' standing. */
  readonly tiers: TierService;
  /** D9: the `tiers` job. */
  readonly tierSweep: ReturnType<typeof createTierSweep>;
  /** D2: what lines would earn now (`POST /v1/earning/quote`), decided as an award is. */
  readonly earning: EarningQuoteService;
  /** D11: bonuses: the shop's, sign-up, referral, feedback and the birthdays job. */
  readonly bonuses: BonusService;
  /** Points carried over from another system (`POST /v1/imports`, `lojal import`). */
  readonly imports: ImportService;
  /** WooCommerce's own webhooks as storefront events (docs/woocommerce.md). */
  readonly woocommerce: WooCommerceService;
  close(): Promise<void>;
}

export interface ContainerOptions {
  clock?: Clock;
  logger: RedisLogger;
  applicationName?: string;
  /** How long one outbound webhook attempt may take (10 s by default); tests shorten it. */
  webhookTimeoutMs?: number;
}

export function createContainer(config: Config, options: ContainerOptions): Container {
  const clock = options.clock ?? systemClock;
  const database = createDatabase(config.databaseUrl, {
    max: config.databasePoolMax,
    applicationName: options.applicationName ?? 'lojal',
  });
  let redis: Redis | null = null;
  const shops = createShopService({ database, clock, secretKey: config.secretKey });
  const postings = createPostingRunner({ database, clock });
  const ledger = createLedgerService({ database, clock, postings });
  const idempotency = createIdempotencyService({ database, clock, secretKey: config.secretKey });
  const program = createProgramService({ database, clock });
  const expiry = createExpiryService({ database, clock, program, lanes: config.expiryLanes });
  const rules = createRuleService({ database, clock });
  const redemptionLedger = createRedemptionLedger({ clock, program });
  const redemptions = createRedemptionService({ database, clock, program, postings, redemptionLedger });
  const tiers = createTierService({ database, clock });
  const orderLedger = createOrderLedger({ clock });
  orderLedger.observe(tiers.observeOrderPosting);
  const bonuses = createBonusService({ database, clock, program, postings, orderLedger });
  // D11: a referred member's first maturity pays the referral to both members.
  orderLedger.observe(bonuses.onOrderPosting);
  const orders = createOrderService({ database, clock, program, ledger: orderLedger });
  const members = createMemberService({
    database,
    clock,
    secretKey: config.secretKey,
    claimGuestOrders: orders.claimGuestOrders,
    ordersOf: orders.ofMember,
    memberCreated: bonuses.signupIn,
  });
  const settlement = createOrderSettlement({ clock, ledger: orderLedger, redemptions: redemptionLedger, memberCreated: bonuses.signupIn });
  const orderEvents = createOrderEvents({ database, clock, program, rules, tiers, postings, ledger: orderLedger, settlement });
  const events = createEventService({ database, clock, orders: orderEvents, members });
  const outbound = createOutbound(config, options, { database, clock, program, shops, bonuses });
  return {
    config,
    clock,
    database,
    get redis() {
      redis ??= createRedis(config.redisUrl, options.logger, { maxRetriesPerRequest: 1 });
      return redis;
    },
    shops,
    members,
    ledger,
    expiry,
    idempotency,
    program,
    rules,
    redemptions,
    orders,
    events,
    postings,
    orderEvents,
    redemptionLedger,
    tiers,
    tierSweep: createTierSweep({ database }),
    earning: createEarningQuote({ database, clock, program, rules, tiers }),
    bonuses,
    imports: createImportService({ database, clock, program }),
    woocommerce: createWooCommerceService({ clock, events, shops, concurrency: Math.ceil(config.databasePoolMax / 2) }),
    ...outbound,
    async close() {
      redis?.disconnect();
      outbound.mailer.close();
      await database.close();
    },
  };
}

/** The services that reach members and shops outside the API (D16, D17) and the reminders that feed them (D8). */
function createOutbound(
  config: Config,
  options: ContainerOptions,
  { database, clock, program, shops, bonuses }: { database: Database; clock: Clock; program: ProgramService; shops: ShopService; bonuses: BonusService },
) {
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger: options.logger });
  return {
    mailer,
    unsubscribe: createUnsubscribeService({ database, clock, secretKey: config.secretKey }),
    webhooks: createWebhookService({
      database,
      clock,
      webhookSecrets: shops.webhookSecrets,
      allowPrivate: config.webhookAllowPrivate,
      ...(options.webhookTimeoutMs ? { timeoutMs: options.webhookTimeoutMs } : {}),
    }),
    mail: createMailService({ database, clock, program, mailer, publicUrl: config.publicUrl, secretKey: config.secretKey }),
    reminders: createReminderService({ database, clock, program }),
    retention: createRetentionService({ database }),
    feedback: createFeedbackService({ database, clock, secretKey: config.secretKey, program, rewardAnswer: bonuses.feedbackIn }),
  };
}
