/** Creates a Kafka topic when it is missing (the relay's events topic, the read service's dead letters); an existing topic is left exactly as it is. */
import type { Kafka } from 'kafkajs';

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
}

/** Returns true when it created the topic. */
export async function ensureTopic(kafka: Kafka, spec: TopicSpec): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (existing.includes(spec.topic)) return false;
    // createTopics answers false (not an error) when another worker created it meanwhile.
    return await admin.createTopics({
      topics: [{ topic: spec.topic, numPartitions: spec.partitions }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}
