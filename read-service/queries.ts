/**
 * The read API's queries over views and cache, independent of gRPC: validate, try the cache, load
 * from MongoDB on a miss, store the answer. Answers are encoded proto messages (encoded.ts), as
 * cached and as sent. Failures are typed by what the caller should do.
 */
import {
  ListCustomerTicketsResponse,
  ListShowtimesResponse,
  Payment,
  PurchaseSummary,
  Reservation,
  SeatMap,
  Showtime,
  Ticket,
} from '../proto/gen/cinema/read/v1/read';
import { withDeadline } from '../lib/deadline';
import type { ViewCache } from './cache';
import { tag } from './cache-tags';
import { encode, type Encoded, type Encoder } from './encoded';
import type { GenerationTracker } from './generation';
import { toPayment, toPurchaseSummary, toReservation, toSeatMap, toShowtime, toTicket } from './mapping';
import type { ViewDoc, ViewStore } from './store';
import { listKey, materialize, type StoreCollection } from './views';

export type QueryErrorCode = 'NOT_FOUND' | 'INVALID_ARGUMENT' | 'UNAVAILABLE' | 'DEADLINE_EXCEEDED';

export class QueryError extends Error {
  constructor(
    readonly code: QueryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

/** How long a query may still take (the gRPC deadline), in ms; Infinity without one. */
export type Budget = () => number;

const ID = /^[\x21-\x7e]{1,200}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function requireId(name: string, value: string): string {
  if (!ID.test(value)) throw new QueryError('INVALID_ARGUMENT', `${name} must be 1-200 printable characters`);
  return value;
}

function optionalDate(value: string): string {
  if (value === '') return value;
  if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new QueryError('INVALID_ARGUMENT', 'date must be YYYY-MM-DD');
  }
  return value;
}

export class ReadQueries {
  constructor(
    private readonly store: ViewStore,
    private readonly cache: ViewCache,
    private readonly generation: GenerationTracker,
    private readonly mongoTimeoutMs: number,
  ) {}

  /** Cache-aside around one answer; `load` returns null for "no such view document". */
  private async cached<T>(
    codec: Encoder<T>,
    cacheTag: string,
    key: string,
    budget: Budget,
    load: (generation: number, maxTimeMS: number) => Promise<T | null>,
    notFound: string,
  ): Promise<Encoded<T>> {
    const found = await this.cache.lookup(cacheTag, key);
    if (found.hit) return found.value as Encoded<T>;
    const remaining = budget();
    if (remaining <= 0) throw new QueryError('DEADLINE_EXCEEDED', 'deadline passed before the view was read');
    const ms = Math.max(1, Math.min(this.mongoTimeoutMs, remaining));
    let value: T | null;
    try {
      // MongoDB's own timeouts do not cover a server that stopped answering mid-operation.
      value = await withDeadline(load(this.generation.current, ms), ms, 'MongoDB');
    } catch (e) {
      if (e instanceof QueryError) throw e;
      throw new QueryError('UNAVAILABLE', `views unavailable: ${(e as Error).message}`);
    }
    if (value === null) throw new QueryError('NOT_FOUND', notFound);
    const answer = encode(codec, value);
    if (found.tagGeneration !== null) {
      await this.cache.store(cacheTag, key, found.tagGeneration, answer);
    }
    return answer;
  }

  private byId<T>(
    codec: Encoder<T>,
    view: StoreCollection,
    id: string,
    cacheTag: string,
    key: string,
    budget: Budget,
    map: (d: ViewDoc) => T,
  ) {
    return this.cached(
      codec,
      cacheTag,
      key,
      budget,
      async (g, ms) => {
        const doc = await this.store.findById(view, id, g, ms);
        const current = doc && materialize(doc);
        return current && current.version !== undefined ? map(current) : null;
      },
      `${view.slice(0, -1)} ${id} not found`,
    );
  }

  /** A showtime document with its claims; null until its ShowtimeCreated arrived. */
  private async showtime(id: string, g: number, ms: number): Promise<ViewDoc | null> {
    const doc = await this.store.findById('showtimes', id, g, ms);
    return doc && doc.movieId !== undefined ? doc : null;
  }

  listShowtimes(
    movieIdRaw: string,
    dateRaw: string,
    budget: Budget,
  ): Promise<Encoded<ListShowtimesResponse>> {
    const movieId = movieIdRaw === '' ? '' : requireId('movie_id', movieIdRaw);
    const date = optionalDate(dateRaw);
    return this.cached(
      ListShowtimesResponse,
      tag.showtimeLists(),
      `showtimes:list:${movieId}:${date}`,
      budget,
      async (g, ms) => {
        // The narrowest list document, then the rest of the filter in code.
        const key = date ? listKey.date(date) : movieId ? listKey.movie(movieId) : listKey.all();
        const list = await this.store.findById('showtime_lists', key, g, ms);
        const entries = Object.values(
          (list?.entries ?? {}) as Record<string, { id: string; movieId: string }>,
        ).filter((e) => !movieId || e.movieId === movieId);
        const docs = await Promise.all(entries.map((e) => this.showtime(e.id, g, ms)));
        const found = docs.filter((d): d is ViewDoc => d !== null);
        found.sort(
          (a, b) => String(a.startsAt).localeCompare(String(b.startsAt)) || a._id.localeCompare(b._id),
        );
        return { showtimes: found.map(toShowtime) };
      },
      'unreachable',
    );
  }

  getShowtime(id: string, budget: Budget): Promise<Encoded<Showtime>> {
    requireId('showtime_id', id);
    return this.cached(
      Showtime,
      tag.showtime(id),
      `showtime:${id}`,
      budget,
      async (g, ms) => {
        const doc = await this.showtime(id, g, ms);
        return doc ? toShowtime(doc) : null;
      },
      `showtime ${id} not found`,
    );
  }

  getSeatMap(id: string, budget: Budget): Promise<Encoded<SeatMap>> {
    requireId('showtime_id', id);
    return this.cached(
      SeatMap,
      tag.showtime(id),
      `seatmap:${id}`,
      budget,
      async (g, ms) => {
        const doc = await this.showtime(id, g, ms);
        return doc ? toSeatMap(doc) : null;
      },
      `showtime ${id} not found`,
    );
  }

  getTicket(id: string, budget: Budget): Promise<Encoded<Ticket>> {
    requireId('ticket_id', id);
    return this.byId(Ticket, 'tickets', id, tag.ticket(id), `ticket:${id}`, budget, toTicket);
  }

  getTicketByNumber(number: string, budget: Budget): Promise<Encoded<Ticket>> {
    requireId('ticket_number', number);
    return this.cached(
      Ticket,
      tag.ticketNumber(number),
      `ticketno:${number}`,
      budget,
      async (g, ms) => {
        const doc = await this.store.findById('ticket_numbers', number, g, ms);
        // A ticket number seen only in a TicketUsed before its TicketIssued is not a ticket yet.
        return doc && doc.customerId !== undefined
          ? toTicket({ ...materialize(doc), _id: String(doc.ticketId) })
          : null;
      },
      `ticket ${number} not found`,
    );
  }

  listCustomerTickets(customerId: string, budget: Budget): Promise<Encoded<ListCustomerTicketsResponse>> {
    requireId('customer_id', customerId);
    return this.cached(
      ListCustomerTicketsResponse,
      tag.customerTickets(customerId),
      `customer:${customerId}`,
      budget,
      async (g, ms) => {
        const doc = await this.store.findById('customer_tickets', customerId, g, ms);
        const entries = Object.values((doc?.tickets ?? {}) as Record<string, ViewDoc & { id: string }>);
        const tickets = entries.map((e) => toTicket({ ...materialize(e), _id: e.id }));
        // Newest first, as the list always was.
        tickets.sort((a, b) => b.issuedAt.localeCompare(a.issuedAt) || a.id.localeCompare(b.id));
        return { tickets };
      },
      'unreachable',
    );
  }

  getPayment(id: string, budget: Budget): Promise<Encoded<Payment>> {
    requireId('payment_id', id);
    return this.byId(Payment, 'payments', id, tag.payment(id), `payment:${id}`, budget, toPayment);
  }

  getReservation(id: string, budget: Budget): Promise<Encoded<Reservation>> {
    requireId('reservation_id', id);
    return this.byId(
      Reservation,
      'reservations',
      id,
      tag.reservation(id),
      `reservation:${id}`,
      budget,
      toReservation,
    );
  }

  getPurchaseSummary(sagaId: string, budget: Budget): Promise<Encoded<PurchaseSummary>> {
    requireId('saga_id', sagaId);
    return this.byId(
      PurchaseSummary,
      'purchases',
      sagaId,
      tag.purchase(sagaId),
      `purchase:${sagaId}`,
      budget,
      toPurchaseSummary,
    );
  }
}
