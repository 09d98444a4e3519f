/**
 * Parks a poison record on the dead-letter topic: the original key, value and headers, plus
 * headers saying why and where it came from, so an operator can inspect, fix and replay it.
 */
import type { IHeaders, KafkaMessage, Producer } from 'kafkajs';

export interface RecordOrigin {
  readonly topic: string;
  readonly partition: number;
  readonly groupId: string;
}

export class DeadLetters {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  async park(message: KafkaMessage, origin: RecordOrigin, reason: string): Promise<void> {
    const headers: IHeaders = {
      ...message.headers,
      'dlq-reason': reason.slice(0, 1000),
      'dlq-source-topic': origin.topic,
      'dlq-source-partition': String(origin.partition),
      'dlq-source-offset': message.offset,
      'dlq-consumer-group': origin.groupId,
      'dlq-failed-at': new Date().toISOString(),
    };
    await this.producer.send({
      topic: this.topic,
      messages: [{ key: message.key, value: message.value, headers }],
    });
  }
}
