/**
 * What a unit of work knows about one transaction attempt: which events of which aggregates are
 * already appended for the outbox (written in one INSERT before COMMIT). Repositories ask it how
 * far an aggregate is from its stored row (expected version) and hand it the events to append.
 *
 * Events are only peeked during the transaction and pulled (cleared) from the aggregates after
 * COMMIT, so a transaction re-run after a deadlock writes them again, and a rolled-back one
 * leaves them pending on the aggregate.
 */
import { envelope, type DomainEvent, type EventEnvelope, type EventOrigin } from '../domain/shared/events';
import type { Transaction } from './database';
import { appendToOutbox } from './outbox/outbox-writer';

/** The surface of the domain's AggregateRoot that persistence needs. */
export interface EventSourcedAggregate {
  readonly id: string;
  readonly version: number; // events raised over the aggregate's life
  readonly pendingEvents: readonly DomainEvent[];
  pullEvents(): DomainEvent[];
}

export interface PendingChange {
  readonly events: readonly DomainEvent[]; // raised but not yet written in this transaction
  readonly expectedVersion: number; // the version the stored row must have now (0: no row yet)
}

export class WriteSession {
  private readonly written = new Map<EventSourcedAggregate, number>();
  /** The transaction's outbox rows, in the order their events were appended; written before COMMIT. */
  private unwritten: EventEnvelope[] = [];

  constructor(
    readonly tx: Transaction,
    readonly origin: EventOrigin,
  ) {}

  pendingChange(aggregate: EventSourcedAggregate): PendingChange {
    const already = this.written.get(aggregate) ?? 0;
    const events = aggregate.pendingEvents.slice(already);
    return { events, expectedVersion: aggregate.version - events.length };
  }

  /** Appends the aggregate's unwritten events to the outbox (after its rows were written). */
  eventsWritten(aggregate: EventSourcedAggregate, change: PendingChange): void {
    this.appendEvents(change.events);
    this.written.set(aggregate, (this.written.get(aggregate) ?? 0) + change.events.length);
  }

  /**
   * Events with no row of their own (the purchase saga's), wrapped with this run's origin. They
   * reach the outbox table with the transaction's other events, in `writeEvents`.
   */
  appendEvents(events: readonly DomainEvent[]): void {
    this.unwritten.push(...events.map((e) => envelope(e, this.origin)));
  }

  /**
   * Before COMMIT: every event the transaction appended, in one INSERT (one round trip, not one
   * per aggregate saved). Each is still checked against its schema there (outbox-writer.ts).
   */
  async writeEvents(): Promise<void> {
    const envelopes = this.unwritten;
    this.unwritten = [];
    if (envelopes.length > 0) await appendToOutbox(this.tx, envelopes);
  }

  /**
   * Before COMMIT: an aggregate changed again after its last save would lose that change and its
   * events, a bug worth failing the whole transaction for.
   */
  assertNothingUnsaved(): void {
    for (const [aggregate, count] of this.written) {
      if (aggregate.pendingEvents.length > count) {
        throw new Error(`aggregate ${aggregate.id} changed after it was saved in this unit of work`);
      }
    }
  }

  /** After COMMIT: the written events are durable, so clear them from the aggregates. */
  acknowledge(): void {
    for (const aggregate of this.written.keys()) aggregate.pullEvents();
  }
}
