/**
 * One Kafka record through the read side: decode, project, write the view, invalidate the cache.
 * A poison record goes to the dead-letter topic; any other failure (MongoDB down) is thrown so
 * the consumer retries the same record and its offset is not committed.
 */
import type { KafkaMessage } from 'kafkajs';

import type { ViewCache } from './cache';
import { tagsForChange } from './cache-tags';
import type { RecordOrigin } from './dead-letter';
import { decodeEnvelope, PoisonEventError } from './decode';
import { project } from './projections';
import type { SeatFeed } from './seat-feed';
import type { ViewStore } from './store';

/** Where poison goes: the dead-letter topic live, nowhere new during a rebuild (already parked). */
export interface PoisonSink {
  park(message: KafkaMessage, origin: RecordOrigin, reason: string): Promise<void>;
}

export type Outcome = 'applied' | 'duplicate' | 'dead-lettered';

/** What a listener learns of a record; the ids let a log line lead back to the saga and request. */
export interface ProjectedInfo {
  readonly eventId?: string;
  readonly eventType?: string;
  readonly aggregateId?: string;
  readonly correlationId?: string | null;
  readonly requestId?: string | null;
  readonly reason?: string;
}

export interface ProjectorListener {
  (outcome: Outcome, info: ProjectedInfo): void;
}

export class Projector {
  constructor(
    private readonly store: ViewStore,
    private readonly cache: ViewCache | null,
    private readonly deadLetters: PoisonSink,
    private readonly generation: () => number,
    private readonly listener: ProjectorListener = () => {},
    private readonly seatFeed: SeatFeed | null = null,
  ) {}

  async handle(message: KafkaMessage, origin: RecordOrigin): Promise<Outcome> {
    let write;
    let envelope;
    try {
      envelope = decodeEnvelope(message.value);
      write = project(envelope);
    } catch (e) {
      if (!(e instanceof PoisonEventError)) throw e;
      await this.deadLetters.park(message, origin, e.message);
      this.listener('dead-lettered', { reason: e.message });
      return 'dead-lettered';
    }
    const generation = this.generation();
    const doc = await this.store.apply(write, envelope.eventId, generation);
    const info: ProjectedInfo = {
      eventId: envelope.eventId,
      eventType: envelope.eventType,
      aggregateId: envelope.aggregateId,
      correlationId: envelope.correlationId,
      requestId: envelope.requestId ?? null,
    };
    if (doc === null) {
      this.listener('duplicate', info);
      return 'duplicate';
    }
    // A rebuild writes a generation nobody reads yet: it has no cache to invalidate.
    if (this.cache) await this.cache.invalidate(tagsForChange(write.view, doc));
    // After the write and the invalidation: a browser told of the change reads the new map.
    await this.seatFeed?.afterWrite(write.view, doc);
    this.listener('applied', info);
    return 'applied';
  }
}
