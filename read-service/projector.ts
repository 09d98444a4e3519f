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
import type { ViewStore } from './store';

/** Where poison goes: the dead-letter topic live, nowhere new during a rebuild (already parked). */
export interface PoisonSink {
  park(message: KafkaMessage, origin: RecordOrigin, reason: string): Promise<void>;
}

export type Outcome = 'applied' | 'duplicate' | 'dead-lettered';

export interface ProjectorListener {
  (outcome: Outcome, info: { eventId?: string; eventType?: string; reason?: string }): void;
}

export class Projector {
  constructor(
    private readonly store: ViewStore,
    private readonly cache: ViewCache | null,
    private readonly deadLetters: PoisonSink,
    private readonly generation: () => number,
    private readonly listener: ProjectorListener = () => {},
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
    const info = { eventId: envelope.eventId, eventType: envelope.eventType };
    if (doc === null) {
      this.listener('duplicate', info);
      return 'duplicate';
    }
    // A rebuild writes a generation nobody reads yet: it has no cache to invalidate.
    if (this.cache) await this.cache.invalidate(tagsForChange(write.view, doc));
    this.listener('applied', info);
    return 'applied';
  }
}
