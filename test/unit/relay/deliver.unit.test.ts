import type { Message } from 'kafkajs';

import { deliverBatch, type DeliveryPorts } from '../../../activities/relay/deliver';
import { SinkOutageError } from '../../../activities/relay/errors';
import type { OutboxMessage } from '../../../db';
import type { EventEnvelope } from '../../../domain/shared/events';
import { row } from './fixtures';

class Outage extends Error {}
class Rejected extends Error {}

/** Sinks that remember what reached them; `bad` rows fail in the given sink. */
function fakePorts(
  options: { badProjection?: string[]; badPublish?: string[]; outage?: 'project' | 'publish' } = {},
) {
  const projected: string[] = [];
  const published: string[] = [];
  const marked: string[] = [];
  const failures: { id: string; error: unknown }[] = [];
  const idOf = (m: Message) => String(m.headers?.eventId);
  const ports: DeliveryPorts = {
    async project(envelopes: readonly EventEnvelope[]) {
      if (options.outage === 'project') throw new Outage('reporting db down');
      if (envelopes.some((e) => options.badProjection?.includes(e.eventId))) throw new Error('bad payload');
      projected.push(...envelopes.map((e) => e.eventId));
    },
    isProjectionRowError: (error) => !(error instanceof Outage),
    async publish(messages: readonly Message[]) {
      if (options.outage === 'publish') throw new Outage('broker down');
      if (messages.some((m) => options.badPublish?.includes(idOf(m))))
        throw new Rejected('MESSAGE_TOO_LARGE');
      published.push(...messages.map(idOf));
    },
    isRecordRejection: (error) => error instanceof Rejected,
    async markProcessed(ids) {
      marked.push(...ids);
      return ids.length;
    },
    async recordFailure(id, error, maxAttempts) {
      failures.push({ id, error });
      return { attempts: maxAttempts, quarantined: true };
    },
  };
  return { ports, projected, published, marked, failures };
}

const options = { maxAttempts: 3, maxMessageBytes: 1_000_000 };
const ids = (rows: readonly OutboxMessage[]) => rows.map((r) => r.id);

describe('deliverBatch', () => {
  it('projects, publishes and marks a clean batch in one call each, in order', async () => {
    const rows = [row('a', 1), row('b', 1), row('a', 2)];
    const sinks = fakePorts();
    const spy = jest.spyOn(sinks.ports, 'publish');

    const outcome = await deliverBatch(rows, sinks.ports, options);

    expect(outcome).toEqual({ delivered: 3, heldBack: 0, failures: [] });
    expect(sinks.projected).toEqual(ids(rows));
    expect(sinks.published).toEqual(ids(rows));
    expect(sinks.marked).toEqual(ids(rows));
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('records an unencodable row and holds back later events of its aggregate only', async () => {
    const a1 = row('a', 1);
    const a2 = { ...row('a', 2), envelope: { ...row('a', 2).envelope, aggregateId: 'x' } }; // poison
    const a3 = row('a', 3);
    const b1 = row('b', 1);
    const sinks = fakePorts();

    const outcome = await deliverBatch([a1, a2, a3, b1], sinks.ports, options);

    expect(outcome.delivered).toBe(2);
    expect(outcome.heldBack).toBe(1);
    expect(outcome.failures).toEqual([
      expect.objectContaining({
        id: a2.id,
        quarantined: true,
        error: expect.stringMatching(/PoisonMessageError/),
      }),
    ]);
    expect(sinks.published).toEqual([a1.id, b1.id]);
    expect(sinks.marked).toEqual([a1.id, b1.id]);
  });

  it('finds the row the projection rejects by retrying one by one', async () => {
    const [a1, b1, b2, c1] = [row('a', 1), row('b', 1), row('b', 2), row('c', 1)];
    const sinks = fakePorts({ badProjection: [b1!.id] });

    const outcome = await deliverBatch([a1!, b1!, b2!, c1!], sinks.ports, options);

    expect(sinks.failures.map((f) => f.id)).toEqual([b1!.id]);
    expect(outcome).toMatchObject({ delivered: 2, heldBack: 1 });
    expect(sinks.published).toEqual([a1!.id, c1!.id]);
  });

  it('isolates a record the broker rejects and publishes the rest', async () => {
    const [a1, b1, c1] = [row('a', 1), row('b', 1), row('c', 1)];
    const sinks = fakePorts({ badPublish: [b1!.id] });

    const outcome = await deliverBatch([a1!, b1!, c1!], sinks.ports, options);

    expect(sinks.failures.map((f) => f.id)).toEqual([b1!.id]);
    expect(sinks.published).toEqual([a1!.id, c1!.id]);
    expect(sinks.marked).toEqual([a1!.id, c1!.id]);
    expect(outcome.delivered).toBe(2);
  });

  it.each(['project', 'publish'] as const)(
    'fails the whole batch when the %s sink is unavailable, blaming no row',
    async (outage) => {
      const sinks = fakePorts({ outage });

      const error = await deliverBatch([row('a', 1), row('b', 1)], sinks.ports, options).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SinkOutageError);
      expect((error as SinkOutageError).sink).toBe(outage === 'project' ? 'reporting' : 'kafka');
      expect((error as SinkOutageError).cause).toBeInstanceOf(Outage);

      expect(sinks.marked).toEqual([]);
      expect(sinks.failures).toEqual([]);
    },
  );
});
