import { Queue, type ConnectionOptions } from 'bullmq';

/**
 * The one typed map of queues and their job payloads. Job ids are built from business keys without ':' so a
 * repeated enqueue is deduplicated by BullMQ (patterns/idempotent-jobs).
 */
export const QUEUE_NAMES = {
  /** Scheduled and operator-triggered maintenance sweeps, one job name per sweep. */
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

export interface MaintenancePayload {
  /** RFC 3339 instant the sweep runs as of (D18); the job's own time when absent. */
  asOf?: string;
  shopId?: string;
}

export interface JobPayloads {
  maintenance: MaintenancePayload;
}

export type Queues = { [K in QueueName]: Queue<JobPayloads[K]> };

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  return {
    maintenance: new Queue<MaintenancePayload>(QUEUE_NAMES.maintenance, { connection, prefix }),
  };
}
