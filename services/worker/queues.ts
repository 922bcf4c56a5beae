import { Queue, type ConnectionOptions } from 'bullmq';
import type { OutboxJob } from '../core/outbox/event-dispatch.ts';

/**
 * The one typed map of queues and their job payloads. Job ids are built from business keys without ':' so a
 * repeated enqueue is deduplicated by BullMQ (patterns/idempotent-jobs).
 */
export const QUEUE_NAMES = {
  /** Scheduled and operator-triggered maintenance sweeps, one job name per sweep. */
  maintenance: 'maintenance',
  /** D16: domain events moved here from the outbox by the relay, in jobs of up to 50 events of one shop. */
  outbox: 'outbox',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

export interface MaintenancePayload {
  /** RFC 3339 instant the sweep runs as of (D18); the job's own time when absent. */
  asOf?: string;
  shopId?: string;
}

export interface JobPayloads {
  maintenance: MaintenancePayload;
  outbox: OutboxJob;
}

export type Queues = { [K in QueueName]: Queue<JobPayloads[K]> };

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  return {
    maintenance: new Queue<MaintenancePayload>(QUEUE_NAMES.maintenance, { connection, prefix }),
    outbox: new Queue<OutboxJob>(QUEUE_NAMES.outbox, { connection, prefix }),
  };
}
