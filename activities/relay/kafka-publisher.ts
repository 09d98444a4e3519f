/**
 * Kafka producers for the relay: one idempotent producer (acks from all in-sync replicas) per
 * shard and worker process, so shards never wait on or reset each other's producer.
 */
import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';

/** Where a relay batch goes; the int tests and the benchmark use the real one below. */
export interface Publisher {
  /** Resolves once every message is acknowledged by the in-sync replicas; rejects otherwise. */
  publish(messages: readonly Message[]): Promise<void>;
}

export interface PublisherOptions {
  readonly topic: string;
  /** Broker round-trip budget per request (kafkajs `timeout` / `requestTimeout`). */
  readonly requestTimeoutMs?: number;
}

export class ShardPublisher implements Publisher {
  private producer: Promise<Producer> | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: PublisherOptions,
  ) {}

  async publish(messages: readonly Message[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.connected();
    try {
      await producer.send({
        topic: this.options.topic,
        acks: -1,
        timeout: this.options.requestTimeoutMs ?? 30_000,
        messages: [...messages],
      });
    } catch (error) {
      // After a failed send the producer's idempotence sequence numbers may no longer match the
      // broker's: kafkajs rolls back the sequence of every partition of a failed request, even
      // partitions the broker did append. Reused, that producer could have its next batch dropped
      // as a "duplicate" or rejected as out of order. A new producer gets a new producer id.
      await this.reset();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.reset();
  }

  private connected(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        // One request in flight per broker keeps the order of consecutive sends by construction.
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        // Bounded: an outage fails the activity after ~25 s and Temporal's retry policy takes over,
        // instead of a send that retries forever inside one attempt (the idempotent default).
        retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5_000 },
      });
      const connecting = producer.connect().then(() => producer);
      // A failed connect must not stick: the next publish tries a fresh producer.
      connecting.catch(() => {
        if (this.producer === connecting) this.producer = null;
      });
      this.producer = connecting;
    }
    return this.producer;
  }

  private async reset(): Promise<void> {
    const current = this.producer;
    this.producer = null;
    if (!current) return;
    const producer = await current.catch(() => null);
    await producer?.disconnect().catch(() => undefined);
  }
}

/** The worker's producers, created on first use of each shard. */
export class PublisherPool {
  private readonly publishers = new Map<number, ShardPublisher>();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: PublisherOptions,
  ) {}

  forShard(shard: number): ShardPublisher {
    let publisher = this.publishers.get(shard);
    if (!publisher) {
      publisher = new ShardPublisher(this.kafka, this.options);
      this.publishers.set(shard, publisher);
    }
    return publisher;
  }

  async close(): Promise<void> {
    await Promise.all([...this.publishers.values()].map((p) => p.close()));
    this.publishers.clear();
  }
}
