/** Kafka for tests: a quiet client and a uniquely named topic per test file, deleted afterwards. */
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig, type Config } from '../../config';
import { uniqueName } from './unique';

export function testKafka(clientId: string, config: Config = loadConfig()): Kafka {
  return new Kafka({
    clientId,
    brokers: [...config.KAFKA_BROKERS],
    // Errors still reach the tests as rejections; kafkajs's own logging only clutters jest output.
    logLevel: logLevel.NOTHING,
  });
}

export interface TestTopic {
  readonly topic: string;
  /** Deletes the topic and the given consumer groups. */
  remove(groupIds?: readonly string[]): Promise<void>;
}

export async function createTestTopic(kafka: Kafka, prefix: string, partitions = 1): Promise<TestTopic> {
  const topic = uniqueName(`it.${prefix}`).replace(/_/g, '-');
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  return {
    topic,
    remove: async (groupIds = []) => {
      const cleanup = kafka.admin();
      await cleanup.connect();
      try {
        if (groupIds.length > 0) await cleanup.deleteGroups([...groupIds]);
        await cleanup.deleteTopics({ topics: [topic] });
      } finally {
        await cleanup.disconnect();
      }
    },
  };
}
