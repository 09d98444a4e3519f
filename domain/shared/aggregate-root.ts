import type { DomainContext } from './context';
import type { AggregateType, DomainEvent } from './events';

/**
 * Base of every aggregate: an id, a version that counts the events the aggregate has ever
 * raised (the outbox and read models order by it), and the events raised since the last
 * `pullEvents()`, which the unit of work writes to the outbox in the same transaction as the
 * aggregate's row.
 */
export abstract class AggregateRoot<E extends DomainEvent> {
  protected abstract readonly aggregateType: AggregateType;
  #version: number;
  #pending: E[] = [];

  protected constructor(
    readonly id: string,
    version: number,
  ) {
    this.#version = version;
  }

  /** Number of events raised over the aggregate's life; 0 before the first. */
  get version(): number {
    return this.#version;
  }

  /** Returns the events raised since the last call and forgets them. */
  pullEvents(): E[] {
    const events = this.#pending;
    this.#pending = [];
    return events;
  }

  /** Events not yet pulled (read-only peek, handy for tests and logging). */
  get pendingEvents(): readonly E[] {
    return [...this.#pending];
  }

  protected raise<K extends E['eventType']>(
    eventType: K,
    payload: Extract<E, { eventType: K }>['payload'],
    ctx: DomainContext,
    at: Date,
  ): void {
    this.#version += 1;
    const event = {
      eventId: ctx.ids.nextId(),
      eventType,
      aggregateType: this.aggregateType,
      aggregateId: this.id,
      aggregateVersion: this.#version,
      occurredAt: at.toISOString(),
      payload,
    } as unknown as E;
    this.#pending.push(event);
  }
}
