/**
 * The kafkajs consumer group feeding the projector. Records are handled one at a time per
 * partition (kafkajs commits an offset only after eachMessage returns, i.e. after the view
 * write); a failing record is retried in place with backoff, heartbeating, until it succeeds or
 * the consumer stops, so a MongoDB outage delays the views but never skips an event.
 */
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';

import type { RecordOrigin } from './dead-letter';

export interface RecordHandler {
  handle(message: KafkaMessage, origin: RecordOrigin): Promise<unknown>;
}

export interface ConsumerOptions {
  readonly topic: string;
  readonly groupId: string;
  readonly fromBeginning: boolean;
  readonly partitionsConcurrently?: number;
  readonly onError?: (e: unknown) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ViewConsumer {
  private readonly consumer: Consumer;
  private stopping = false;

  constructor(
    kafka: Kafka,
    private readonly projector: RecordHandler,
    private readonly options: ConsumerOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
    });
  }

  get groupId(): string {
    return this.options.groupId;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: this.options.fromBeginning });
    await this.consumer.run({
      // Partitions in parallel (each still in order): one aggregate lives on one partition.
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 3,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        const origin = { topic, partition, groupId: this.options.groupId };
        for (let attempt = 0; ; attempt++) {
          try {
            await this.projector.handle(message, origin);
            return;
          } catch (e) {
            this.options.onError?.(e);
            // Thrown while stopping: kafkajs leaves the offset uncommitted, the next owner retries.
            if (this.stopping) throw e;
            await sleep(Math.min(100 * 2 ** attempt, 5000));
            await heartbeat().catch(() => undefined);
          }
        }
      },
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
  }
}
