/**
 * The events topic keeps every event for good (no time or size retention, no compaction): it is
 * the history a read-model rebuild replays from offset 0, and the outbox keeps processed rows only
 * `RELAY_RETENTION_HOURS`. Keeping it in Kafka rather than in an append-only table of the write
 * database costs no second write per event and no second replay path: the rebuild already reads
 * the topic. The price is broker disk that grows with the history (back the topic up like a
 * database).
 */
import { ConfigResourceTypes, type Kafka } from 'kafkajs';

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
}

export const KEEP_FOREVER: readonly { name: string; value: string }[] = [
  { name: 'retention.ms', value: '-1' },
  { name: 'retention.bytes', value: '-1' },
  { name: 'cleanup.policy', value: 'delete' },
];

/** Dynamic topic configs (set on the topic itself, not inherited). */
const DYNAMIC_TOPIC_CONFIG = 1;

/**
 * Creates the events topic when it is missing; returns true when it created it. An existing topic
 * keeps its partitions and other settings, and gets KEEP_FOREVER if it lacks it.
 */
export async function ensureTopic(kafka: Kafka, spec: TopicSpec): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(spec.topic)) {
      // createTopics answers false (not an error) when another worker created it meanwhile.
      const created = await admin.createTopics({
        topics: [{ topic: spec.topic, numPartitions: spec.partitions, configEntries: [...KEEP_FOREVER] }],
        waitForLeaders: true,
      });
      if (created) return true;
    }
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: spec.topic }],
    });
    const entries = described.resources[0]?.configEntries ?? [];
    const value = (name: string) => entries.find((e) => e.configName === name)?.configValue;
    if (KEEP_FOREVER.every((c) => value(c.name) === c.value)) return false;
    // AlterConfigs replaces the topic's whole dynamic config: carry over what is set already.
    const kept = entries
      .filter(
        (e) => e.configSource === DYNAMIC_TOPIC_CONFIG && !KEEP_FOREVER.some((c) => c.name === e.configName),
      )
      .map((e) => ({ name: e.configName, value: e.configValue }));
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: spec.topic, configEntries: [...kept, ...KEEP_FOREVER] },
      ],
    });
    return false;
  } finally {
    await admin.disconnect();
  }
}
