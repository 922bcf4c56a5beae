import type { Container } from '../container.ts';
import type { Member } from '../members/member-types.ts';
import type { DomainEvent } from './outbox-types.ts';

/**
 * D16: what becomes of a relayed domain event: each handler in turn (outbound webhooks, e-mail). A handler may
 * get an event more than once (a relay retried, a job retried after a crash) and two workers may run it at once:
 * each deduplicates by the event id in its own table. A handler that throws fails the job, which BullMQ retries;
 * the handlers that had already finished find their row and do nothing the second time. The Container import is
 * type-only: container.ts must never import this file.
 */
export type EventHandler = (event: DomainEvent) => Promise<void>;

/** `members`: the members the e-mail handler needs, read for a whole group (mail-service.ts membersOf). */
export function eventHandlers(container: Container, members?: ReadonlyMap<string, Member>): EventHandler[] {
  return [
    async (event) => void (await container.webhooks.handleEvent(event)),
    async (event) => void (await container.mail.handleEvent(event, members)),
  ];
}

export async function dispatchEvent(container: Container, event: DomainEvent, members?: ReadonlyMap<string, Member>): Promise<void> {
  for (const handle of eventHandlers(container, members)) await handle(event);
}

/** A relayed group of one shop's events (outbox-relay.ts), in the order they were raised. */
export interface EventGroup {
  shopId: string;
  events: DomainEvent[];
}

/** The data of an `outbox` job: a group, or (a job an earlier version added) one event. */
export type OutboxJob = EventGroup | DomainEvent;

/**
 * An `outbox` job: a group's events each handled in turn (their e-mail handler's members read once for the group);
 * an event that fails does not stop the ones after it. If any failed, the job fails and BullMQ runs it again: the
 * events handled already find their rows and do nothing the second time.
 */
export async function dispatchJob(container: Container, job: OutboxJob): Promise<void> {
  if (!('events' in job)) return dispatchEvent(container, job);
  const members = await container.mail.membersOf(job.shopId, job.events);
  const failed: unknown[] = [];
  for (const event of job.events) {
    try {
      await dispatchEvent(container, event, members);
    } catch (error) {
      failed.push(error);
    }
  }
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) throw new AggregateError(failed, `${failed.length} of ${job.events.length} events failed`);
}
