/**
 * The kafkajs consumer group feeding the projector, a batch at a time per partition (`eachBatch`):
 * the records a fetch returned are projected in chunks, and a chunk's offsets are resolved and
 * committed only after its view writes. A failing chunk is retried in place with backoff,
 * heartbeating, until it succeeds or the consumer stops, so a MongoDB outage delays the views but
 * never skips an event.
 */
import { performance } from 'node:perf_hooks';

import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';

import type { RecordOrigin } from './dead-letter';
import type { StageListener } from './store';

export interface BatchHandler {
  /** Records of one partition, in offset order. */
  handleBatch(messages: readonly KafkaMessage[], origin: RecordOrigin): Promise<unknown>;
}

export interface ConsumerOptions {
  readonly topic: string;
  readonly groupId: string;
  readonly fromBeginning: boolean;
  readonly partitionsConcurrently?: number;
  /** Records per projected chunk (one bulk write per collection each). */
  readonly chunkSize?: number;
  readonly onError?: (e: unknown) => void;
  /** Times the Kafka side of a batch: the wait for its fetch and the offset commit. */
  readonly onStage?: StageListener;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ViewConsumer {
  private readonly consumer: Consumer;
  private stopping = false;

  constructor(
    kafka: Kafka,
    private readonly handler: BatchHandler,
    private readonly options: ConsumerOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      // The broker answers a fetch as soon as one record is there (minBytes 1, the default): this
      // bounds only how long an empty fetch waits, so how often an idle consumer asks (at 20 ms it
      // asked 50 times a second, which cost the read service and Kafka more than the projection).
      maxWaitTimeInMs: 500,
    });
  }

  get groupId(): string {
    return this.options.groupId;
  }

  async start(): Promise<void> {
    const chunkSize = this.options.chunkSize ?? 1000;
    const onStage = this.options.onStage;
    let idleSince = performance.now();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: this.options.fromBeginning });
    await this.consumer.run({
      // Partitions in parallel (each still in order): one aggregate lives on one partition.
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 3,
      eachBatchAutoResolve: false,
      eachBatch: async ({
        batch,
        resolveOffset,
        heartbeat,
        commitOffsetsIfNecessary,
        isRunning,
        isStale,
      }) => {
        const origin = { topic: batch.topic, partition: batch.partition, groupId: this.options.groupId };
        onStage?.('kafka fetch (wait between batches)', performance.now() - idleSince, batch.messages.length);
        for (let i = 0; i < batch.messages.length; i += chunkSize) {
          if (!isRunning() || isStale()) return;
          const chunk = batch.messages.slice(i, i + chunkSize);
          for (let attempt = 0; ; attempt++) {
            try {
              await this.handler.handleBatch(chunk, origin);
              break;
            } catch (e) {
              this.options.onError?.(e);
              // Thrown while stopping: the offsets stay uncommitted, the next owner retries.
              if (this.stopping) throw e;
              await sleep(Math.min(100 * 2 ** attempt, 5000));
              await heartbeat().catch(() => undefined);
            }
          }
          const committing = performance.now();
          resolveOffset(chunk[chunk.length - 1]!.offset);
          await commitOffsetsIfNecessary();
          await heartbeat();
          onStage?.('offset commit + heartbeat', performance.now() - committing, chunk.length);
        }
        idleSince = performance.now();
      },
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
  }
}
