import { describe, expect, it } from 'vitest';
import type { Container } from '../../services/core/container.ts';
import { dispatchJob } from '../../services/core/outbox/event-dispatch.ts';
import type { DomainEvent } from '../../services/core/outbox/outbox-types.ts';

/** A container whose two handlers record what they were given; the webhook handler fails for the ids in `failing`. */
function recording(failing: string[] = []) {
  const seen: string[] = [];
  const container = {
    webhooks: { handleEvent: async (e: DomainEvent) => { if (failing.includes(e.id)) throw new Error(`receiver down for ${e.id}`); seen.push(`webhook ${e.id}`); } },
    mail: { membersOf: async () => new Map(), handleEvent: async (e: DomainEvent) => void seen.push(`mail ${e.id}`) },
  } as unknown as Container;
  return { container, seen };
}

const event = (id: string): DomainEvent => ({ id, shopId: 'shop_1', type: 'points.adjusted', occurredAt: '2026-11-20T12:00:00.000Z', memberId: 'mem_1', data: {} as DomainEvent['data'] });

describe('an outbox job (D16)', () => {
  it('hands a group\'s events to the handlers one after another, in order', async () => {
    const { container, seen } = recording();
    await dispatchJob(container, { shopId: 'shop_1', events: [event('evt_1'), event('evt_2')] });
    expect(seen).toEqual(['webhook evt_1', 'mail evt_1', 'webhook evt_2', 'mail evt_2']);
  });

  it('an event that fails does not stop the ones after it; the job fails, so it is tried again', async () => {
    const { container, seen } = recording(['evt_2']);
    await expect(dispatchJob(container, { shopId: 'shop_1', events: [event('evt_1'), event('evt_2'), event('evt_3')] })).rejects.toThrow('receiver down for evt_2');
    expect(seen).toEqual(['webhook evt_1', 'mail evt_1', 'webhook evt_3', 'mail evt_3']);
    const two = recording(['evt_1', 'evt_3']);
    await expect(dispatchJob(two.container, { shopId: 'shop_1', events: [event('evt_1'), event('evt_2'), event('evt_3')] })).rejects.toThrow('2 of 3 events failed');
  });

  it('takes a job of one event, as earlier versions added', async () => {
    const { container, seen } = recording();
    await dispatchJob(container, event('evt_9'));
    expect(seen).toEqual(['webhook evt_9', 'mail evt_9']);
  });
});
