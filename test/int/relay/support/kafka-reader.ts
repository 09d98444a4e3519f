/** Reads a test topic from the beginning and keeps every message it sees, in arrival order. */
import type { Consumer, Kafka } from 'kafkajs';

import type { EventEnvelope } from '../../../../domain/shared/events';
import { uniqueName } from '../../../support/unique';

export interface Received {
  readonly key: string;
  readonly envelope: EventEnvelope;
  readonly headers: Record<string, string>;
  readonly partition: number;
  readonly offset: number;
  /** Broker timestamp (the producer's CreateTime), epoch ms. */
  readonly timestamp: number;
  readonly receivedAt: number;
}

export interface TopicReader {
  readonly groupId: string;
  readonly messages: Received[];
  /** Distinct event ids seen so far. */
  ids(): Set<string>;
  stop(): Promise<void>;
}

export async function readTopic(kafka: Kafka, topic: string): Promise<TopicReader> {
  const groupId = uniqueName('it-relay-reader');
  const consumer: Consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  const messages: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
      messages.push({
        key: message.key?.toString() ?? '',
        envelope: JSON.parse(message.value?.toString() ?? 'null') as EventEnvelope,
        headers,
        partition,
        offset: Number(message.offset),
        timestamp: Number(message.timestamp),
        receivedAt: Date.now(),
      });
    },
  });
  return {
    groupId,
    messages,
    ids: () => new Set(messages.map((m) => m.envelope.eventId)),
    stop: () => consumer.disconnect(),
  };
}

/** Messages on the topic right now: the sum of the partitions' high watermarks. */
export async function messagesOnTopic(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** For each aggregate, its versions in the order of first arrival (duplicates dropped). */
export function versionsByAggregate(messages: readonly Received[]): Map<string, number[]> {
  const seen = new Set<string>();
  const out = new Map<string, number[]>();
  for (const m of messages) {
    if (seen.has(m.envelope.eventId)) continue;
    seen.add(m.envelope.eventId);
    const list = out.get(m.key) ?? [];
    list.push(m.envelope.aggregateVersion);
    out.set(m.key, list);
  }
  return out;
}
