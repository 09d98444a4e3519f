/**
 * A batch of Kafka records through the read side: decode and project each, fold the writes per
 * document (views.ts), one bulk write per collection, one Redis pipeline of invalidations, then
 * poison to the dead-letter topic. Any failure but poison is thrown, so the consumer retries the
 * batch and commits no offset past it; a retried batch writes the same merges again, which changes
 * nothing (store.ts).
 */
import { performance } from 'node:perf_hooks';

import type { KafkaMessage } from 'kafkajs';

import type { ViewCache } from './cache';
import { tag } from './cache-tags';
import type { RecordOrigin } from './dead-letter';
import { decodeEnvelope, PoisonEventError, type ReadEnvelope } from './decode';
import { project, type ViewWrite } from './projections';
import type { StageListener, ViewStore } from './store';
import { BatchFold } from './views';

/** Where poison goes: the dead-letter topic live, nowhere new during a rebuild (already parked). */
export interface PoisonSink {
  park(message: KafkaMessage, origin: RecordOrigin, reason: string): Promise<void>;
}

export type Outcome = 'applied' | 'dead-lettered';

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

/** What changed in a batch whose writes are durable (for live seat-map feeds). */
export interface BatchChanges {
  /** Showtimes whose seat map (or the showtime itself) changed. */
  readonly showtimeIds: string[];
}

export interface ProjectorDeps {
  readonly store: ViewStore;
  /** Null during a rebuild: it writes a generation nobody reads yet, with no cache to invalidate. */
  readonly cache: ViewCache | null;
  readonly deadLetters: PoisonSink;
  readonly generation: () => number;
  readonly listener?: ProjectorListener;
  /**
   * Called once per batch after its view writes and cache invalidations landed, before its offsets
   * are committed. A failure is reported to `onHookError` and does not hold the projection up.
   */
  readonly afterBatch?: (changes: BatchChanges) => Promise<void> | void;
  readonly onHookError?: (e: unknown) => void;
  readonly onStage?: StageListener;
}

interface Projected {
  readonly envelope: ReadEnvelope;
  readonly write: ViewWrite;
}

export class Projector {
  constructor(private readonly deps: ProjectorDeps) {}

  /** Reports the time since the previous call (or since this one) under a stage name. */
  private stageClock(): (name: string, items: number) => void {
    const onStage = this.deps.onStage;
    if (!onStage) return () => undefined;
    let last = performance.now();
    return (name, items) => {
      const now = performance.now();
      onStage(name, now - last, items);
      last = now;
    };
  }

  /** Records of one partition, in offset order. */
  async handleBatch(messages: readonly KafkaMessage[], origin: RecordOrigin): Promise<void> {
    const { store, cache, generation } = this.deps;
    const stage = this.stageClock();
    const projected: Projected[] = [];
    const poison: { message: KafkaMessage; reason: string }[] = [];
    for (const message of messages) {
      try {
        const envelope = decodeEnvelope(message.value);
        projected.push({ envelope, write: project(envelope) });
      } catch (e) {
        if (!(e instanceof PoisonEventError)) throw e;
        poison.push({ message, reason: e.message });
      }
    }

    const g = generation();
    const fold = new BatchFold();
    const tags = new Set<string>();
    for (const { write } of projected) {
      fold.add(write);
      tags.add(tagOfOwnDocument(write));
      if (write.view === 'tickets') tags.add(tag.ticketNumber(String(write.facts.ticketNumber)));
      if (write.view === 'reservations' || write.view === 'showtimes') tags.add(tag.showtimeLists());
    }
    for (const id of fold.showtimeIds) tags.add(tag.showtime(id));
    stage('decode+fold', messages.length);
    // A customer's list holds each of their tickets as it stands. An issue lists its ticket in
    // the same writes; an event that names no customer, or an issue whose ticket document was
    // already there (a redelivery, or later events that came first), is listed from the ticket
    // document as written.
    const { read, created } = await store.write(fold.writes, g, this.deps.onStage, {
      collection: 'tickets',
      ids: fold.ticketsToReadBack,
    });
    stage('view writes', countDocs(fold.writes));
    const newTickets = created.get('tickets') ?? new Set<string>();
    const tickets = [...read.values()];
    for (const id of fold.issuedTickets) {
      if (newTickets.has(id) || read.has(id)) continue;
      const doc = await store.findById('tickets', id, g);
      if (doc) tickets.push(doc);
    }
    if (tickets.length > 0) {
      const customers = new BatchFold();
      for (const ticket of tickets) customers.addCustomerTicket(ticket);
      for (const id of customers.customerIds) fold.customerIds.add(id);
      await store.write(customers.writes, g, this.deps.onStage);
      stage('customer list writes', countDocs(customers.writes));
    }
    for (const id of fold.customerIds) tags.add(tag.customerTickets(id));

    if (cache) await cache.invalidate([...tags]);
    stage('cache invalidation', tags.size);
    for (const p of poison) await this.deps.deadLetters.park(p.message, origin, p.reason);
    if (poison.length > 0) stage('dead letters', poison.length);

    if (this.deps.afterBatch && fold.showtimeIds.size > 0) {
      try {
        await this.deps.afterBatch({ showtimeIds: [...fold.showtimeIds] });
      } catch (e) {
        this.deps.onHookError?.(e);
      }
      stage('afterBatch', fold.showtimeIds.size);
    }

    const listener = this.deps.listener;
    if (!listener) return;
    for (const { envelope } of projected) {
      listener('applied', {
        eventId: envelope.eventId,
        eventType: envelope.eventType,
        aggregateId: envelope.aggregateId,
        correlationId: envelope.correlationId,
        requestId: envelope.requestId ?? null,
      });
    }
    for (const p of poison) listener('dead-lettered', { reason: p.reason });
  }
}

function countDocs(writes: BatchFold['writes']): number {
  let n = 0;
  for (const docs of writes.values()) n += docs.size;
  return n;
}

function tagOfOwnDocument(w: ViewWrite): string {
  switch (w.view) {
    case 'showtimes':
      return tag.showtime(w.id);
    case 'reservations':
      return tag.reservation(w.id);
    case 'payments':
      return tag.payment(w.id);
    case 'tickets':
      return tag.ticket(w.id);
    case 'purchases':
      return tag.purchase(w.id);
  }
}
