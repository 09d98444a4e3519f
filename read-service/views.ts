/**
 * The shape of every view document, and how one batch of projected events folds into one merged
 * update per document (store.ts explains why every update is a commuting `$set`). Pure: no I/O.
 *
 * | collection         | `_id`                              | answers                              |
 * | ------------------ | ---------------------------------- | ------------------------------------ |
 * | `showtimes`        | showtime id                        | GetShowtime, GetSeatMap (claims)     |
 * | `showtime_lists`   | `date:<YYYY-MM-DD>`, `movie:<id>`, `all` | ListShowtimes (then the showtimes) |
 * | `reservations`     | reservation id                     | GetReservation                       |
 * | `payments`         | payment id                         | GetPayment                           |
 * | `tickets`          | ticket id                          | GetTicket                            |
 * | `ticket_numbers`   | ticket number                      | GetTicketByNumber                    |
 * | `customer_tickets` | customer id                        | ListCustomerTickets                  |
 * | `purchases`        | saga id                            | GetPurchaseSummary                   |
 *
 * A showtime document holds the seat claims of its reservations (`claims.<key>`: seats and
 * per-version status), so the seat map is one document per showtime whatever the number of
 * reservations, and nothing is read from other documents to answer it.
 */
import type { ViewWrite } from './projections';
import type { BatchWrites, ViewDoc } from './store';

export const STORE_COLLECTIONS = [
  'showtimes',
  'showtime_lists',
  'reservations',
  'payments',
  'tickets',
  'ticket_numbers',
  'customer_tickets',
  'purchases',
] as const;
export type StoreCollection = (typeof STORE_COLLECTIONS)[number];

/** An id as a field name: MongoDB field names may not contain '.' or start with '$'; injective. */
export const fieldKey = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');

export const listKey = {
  date: (date: string) => `date:${date}`,
  movie: (movieId: string) => `movie:${movieId}`,
  all: () => 'all',
};

type States = Record<string, Record<string, unknown>>;

/** The versions present in `states` (keys `v<n>`), ascending. */
function versions(states: unknown): number[] {
  if (typeof states !== 'object' || states === null) return [];
  return Object.keys(states)
    .map((k) => Number(k.slice(1)))
    .filter((v) => Number.isSafeInteger(v))
    .sort((a, b) => a - b);
}

/**
 * A stored document as the reader sees it: facts, then every version's state in version order
 * (a later version overwrites what an earlier one set), and `version` = the newest version seen;
 * undefined while no event of the aggregate itself has arrived.
 */
export function materialize<T extends Record<string, unknown>>(doc: T): T & { version?: number } {
  const { states, ...rest } = doc;
  const out: Record<string, unknown> = { ...rest };
  const vs = versions(states);
  for (const v of vs) Object.assign(out, (states as States)[`v${v}`]);
  if (vs.length > 0) out.version = vs[vs.length - 1];
  return out as T & { version?: number };
}

/**
 * Adds `paths` to the `$set` of one document in `writes`; a path set again takes the later value.
 * The one merge of view updates: events folded in a batch, and batches merged for one write (store.ts).
 */
export function setPaths(
  writes: BatchWrites,
  collection: StoreCollection,
  id: string,
  paths: Record<string, unknown>,
): void {
  let docs = writes.get(collection);
  if (!docs) writes.set(collection, (docs = new Map()));
  const doc = docs.get(id);
  if (doc) Object.assign(doc, paths);
  else docs.set(id, { ...paths });
}

/** `$set` paths per document, folded over a batch. */
export class BatchFold {
  readonly writes: BatchWrites = new Map();
  /** Cache tags the batch touched (cache-tags.ts). */
  readonly showtimeIds = new Set<string>();
  /** Customers whose ticket list this batch wrote. */
  readonly customerIds = new Set<string>();
  /**
   * Tickets issued in this batch, already entered in their customer's list from the event
   * itself. Complete only when the batch creates the ticket's document: an existing one may hold
   * states of events that arrived before the issue, with no customer to list them under then.
   */
  readonly issuedTickets = new Set<string>();
  /** Tickets with an event that names no customer (TicketUsed, ...): listed from the written document. */
  readonly ticketsToReadBack = new Set<string>();

  set(collection: StoreCollection, id: string, paths: Record<string, unknown>): void {
    setPaths(this.writes, collection, id, paths);
  }

  /** One projected event. */
  add(w: ViewWrite): void {
    const own: Record<string, unknown> = { ...w.facts, [`states.v${w.version}`]: w.state };
    this.set(w.view, w.id, own);
    switch (w.view) {
      case 'showtimes': {
        const entry = {
          id: w.id,
          movieId: w.facts.movieId,
          startsAt: w.facts.startsAt,
        };
        const path = `entries.${fieldKey(w.id)}`;
        this.set('showtime_lists', listKey.date(String(w.facts.startsDate)), { [path]: entry });
        this.set('showtime_lists', listKey.movie(String(w.facts.movieId)), { [path]: entry });
        this.set('showtime_lists', listKey.all(), { [path]: entry });
        this.showtimeIds.add(w.id);
        break;
      }
      case 'reservations': {
        // Every reservation event carries its showtime and seats (projections/reservation.ts).
        const showtimeId = String(w.facts.showtimeId);
        const claim = `claims.${fieldKey(w.id)}`;
        this.set('showtimes', showtimeId, {
          [`${claim}.seats`]: w.facts.seats,
          [`${claim}.states.v${w.version}`]: w.state,
        });
        this.showtimeIds.add(showtimeId);
        break;
      }
      case 'tickets': {
        // Every ticket event carries its number; only the issue names the customer, so the
        // other events reach the customer's list from the ticket as written (projector.ts).
        this.set('ticket_numbers', String(w.facts.ticketNumber), { ...own, ticketId: w.id });
        const customerId = w.facts.customerId;
        if (typeof customerId === 'string') {
          this.listTicket(customerId, w.id, own);
          this.issuedTickets.add(w.id);
        } else {
          this.ticketsToReadBack.add(w.id);
        }
        break;
      }
      case 'payments':
      case 'purchases':
        break;
    }
  }

  /** A ticket document as it stands after the batch, merged into its customer's list. */
  addCustomerTicket(ticket: ViewDoc): string | null {
    if (typeof ticket.customerId !== 'string') return null; // not issued yet: no customer to list it under
    const { _id, states, ...fields } = ticket;
    const paths: Record<string, unknown> = { ...fields };
    if (typeof states === 'object' && states !== null) {
      for (const [v, state] of Object.entries(states)) paths[`states.${v}`] = state;
    }
    this.listTicket(ticket.customerId, _id, paths);
    return ticket.customerId;
  }

  /** A ticket's paths (facts, `states.v<n>`) under its entry in the customer's list. */
  private listTicket(customerId: string, ticketId: string, paths: Record<string, unknown>): void {
    const base = `tickets.${fieldKey(ticketId)}`;
    const entry: Record<string, unknown> = { [`${base}.id`]: ticketId };
    for (const [path, value] of Object.entries(paths)) entry[`${base}.${path}`] = value;
    this.set('customer_tickets', customerId, entry);
    this.customerIds.add(customerId);
  }
}
