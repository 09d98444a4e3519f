/**
 * The reporting projection (the reporting database): sales and occupancy per showtime and per movie,
 * revenue net of refunds. The outbox relay calls `projectEvents` with each batch it publishes.
 *
 * Idempotent by event id: processed_events remembers every event, so a redelivered event changes
 * nothing. Order-independent across aggregates: shards deliver one aggregate's events in order
 * but different aggregates in any order (a PaymentCompleted may arrive before the
 * ReservationCreated that ties it to a showtime), so each event only updates its own aggregate's
 * fact row (guarded by aggregate version), and the summaries of every showtime and movie the
 * batch touched are then recomputed from the facts. Batches of concurrent relays take turns
 * (ONE_BATCH_AT_A_TIME), so each sees every fact committed before it.
 *
 * One batch is one transaction. A malformed envelope fails the whole batch: the relay can then
 * project the batch event by event to find and quarantine the poison one.
 */
import {
  isDomainEventType,
  parseEventPayload,
  type DomainEventType,
  type PayloadOf,
} from '../../domain/events';
import type { EventEnvelope } from '../../domain/shared/events';
import type { Database, Queryable, Row, Transaction } from '../database';
import { parseEnvelope } from '../outbox/envelope-schema';
import * as read from '../row';
import { byDialect, join, sql, trustedRaw, type SqlFragment, type SqlValue } from '../sql';
import { lockForTransaction, type TransactionLock } from '../transaction-lock';

export interface ProjectionResult {
  readonly applied: number; // events that changed facts
  readonly duplicates: number; // already projected before (or twice in this batch)
  readonly ignored: number; // event types the reporting model does not need
}

export interface SalesFigures {
  readonly ticketsIssued: number;
  readonly ticketsRefunded: number; // refunded or voided
  readonly seatsSold: number; // seats on every ticket ever issued
  readonly seatsRefunded: number; // seats on refunded or voided tickets
  readonly seatsOccupied: number; // sold - refunded
  readonly capacity: number;
  readonly grossRevenueMinor: number; // completed payments, refunded ones included
  readonly refundedMinor: number;
  readonly netRevenueMinor: number;
  readonly currency: string;
}

export interface ShowtimeSales extends SalesFigures {
  readonly showtimeId: string;
  readonly movieId: string;
  readonly movieTitle: string;
  readonly auditoriumName: string;
  readonly startsAt: string;
}

export interface MovieSales extends SalesFigures {
  readonly movieId: string;
  readonly movieTitle: string;
  readonly showtimes: number;
}

/**
 * The event itself breaks the contract (not an envelope, a payload without the fields reporting
 * reads): the one projection failure that belongs to the row rather than to the database.
 */
export class EventContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventContractError';
  }
}

function envelopeOf(value: unknown): EventEnvelope {
  try {
    return parseEnvelope(value);
  } catch (e) {
    throw new EventContractError((e as Error).message);
  }
}

/** The payload of an event of type `T`, parsed with the event's schema (domain/events.ts). */
function payloadOf<T extends DomainEventType>(eventType: T, e: EventEnvelope): PayloadOf<T> {
  const parsed = parseEventPayload(eventType, e.payload);
  if (parsed.ok) return parsed.value;
  throw new EventContractError(`${e.eventType} ${e.eventId}: ${parsed.error.message}`);
}

const RESERVATION_STATUS: Readonly<Record<string, string>> = {
  ReservationConfirmed: 'Confirmed',
  ReservationCancelled: 'Cancelled',
  ReservationExpired: 'Expired',
};

const TICKET_STATUS: Readonly<Record<string, string>> = {
  TicketUsed: 'Used',
  TicketCancelled: 'Voided',
  TicketRefunded: 'Refunded',
};

/** What applying one event touched, so the right summaries get recomputed. */
interface Touched {
  showtimes: Set<string>;
  reservations: Set<string>; // resolved to showtimes once the batch's facts are in
}

export async function projectEvents(db: Database, envelopes: readonly unknown[]): Promise<ProjectionResult> {
  const checked = envelopes.map(envelopeOf);
  // Event types reporting has no use for never reach the database (not even processed_events).
  const relevant = checked.filter(isReported);
  const ignored = checked.length - relevant.length;
  if (relevant.length === 0) return { applied: 0, duplicates: 0, ignored };
  return db.transaction(
    async (tx) => {
      await lockForTransaction(tx, ONE_BATCH_AT_A_TIME);
      const touched: Touched = { showtimes: new Set(), reservations: new Set() };
      const fresh = await markProcessed(tx, relevant);
      let applied = 0;
      let duplicates = 0;
      for (const event of relevant) {
        // fresh holds each new id once: a second copy in the same batch is a duplicate too.
        if (!fresh.delete(event.eventId.toLowerCase())) {
          duplicates += 1;
          continue;
        }
        await applyFact(tx, event, touched);
        applied += 1;
      }
      for (const showtimeId of await showtimesOf(tx, touched.reservations)) touched.showtimes.add(showtimeId);
      const movies = new Set<string>();
      for (const showtimeId of touched.showtimes) {
        const movieId = await recomputeShowtime(tx, showtimeId);
        if (movieId) movies.add(movieId);
      }
      for (const movieId of movies) await recomputeMovie(tx, movieId);
      return { applied, duplicates, ignored };
    },
    { retries: 3 },
  );
}

/**
 * Batches of different relay shards take turns, for the rest of the transaction. A batch finds the
 * showtime to recompute through facts other batches write (a payment's reservation; the showtime
 * itself), and a fact another batch has written but not committed is invisible to it, while that
 * batch's own recompute ran before this one's fact: each would miss the other's for good. Row
 * locks can't cover a row that isn't there yet; one lock per batch can, and batches are short.
 */
const ONE_BATCH_AT_A_TIME: TransactionLock = {
  key: 72_310_101,
  resource: 'reporting:projection',
  timeoutMs: 60_000,
};

/** The event types applyFact handles; the rest (saga steps, payment attempts) are ignored. */
const REPORTED_TYPES: ReadonlySet<DomainEventType> = new Set<DomainEventType>([
  'ShowtimeCreated',
  'ReservationCreated',
  'ReservationConfirmed',
  'ReservationCancelled',
  'ReservationExpired',
  'PaymentCompleted',
  'PaymentRefunded',
  'TicketIssued',
  'TicketUsed',
  'TicketCancelled',
  'TicketRefunded',
]);

const isReported = (e: EventEnvelope): e is EventEnvelope<DomainEventType> =>
  isDomainEventType(e.eventType) && REPORTED_TYPES.has(e.eventType);

/** Records the event ids, a few hundred per statement; returns those not projected before (lower case). */
async function markProcessed(
  tx: Transaction,
  events: readonly EventEnvelope<DomainEventType>[],
): Promise<Set<string>> {
  const unique = [...new Map(events.map((e) => [e.eventId.toLowerCase(), e])).values()];
  const fresh = new Set<string>();
  // 3 parameters a row, well under SQL Server's 2,100 per statement.
  for (let i = 0; i < unique.length; i += 500) {
    const rows = join(
      unique.slice(i, i + 500).map((e) => sql`(${e.eventId}, ${e.eventType}, ${e.aggregateId})`),
    );
    const { rows: inserted } = await tx.query(
      sql`${byDialect({
        postgres: sql`
          INSERT INTO processed_events (event_id, event_type, aggregate_id) VALUES ${rows}
          ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
        mssql: sql`
          INSERT INTO dbo.processed_events (event_id, event_type, aggregate_id)
          OUTPUT inserted.event_id
          SELECT v.event_id, v.event_type, v.aggregate_id
          FROM (VALUES ${rows}) AS v(event_id, event_type, aggregate_id)
          WHERE NOT EXISTS (
            SELECT 1 FROM dbo.processed_events p WITH (UPDLOCK, HOLDLOCK) WHERE p.event_id = v.event_id)`,
      })}`,
    );
    for (const r of inserted) fresh.add(read.str(r.event_id, 'event_id').toLowerCase());
  }
  return fresh;
}

/** Updates the fact row of the event's aggregate (one of REPORTED_TYPES). */
async function applyFact(
  tx: Transaction,
  e: EventEnvelope<DomainEventType>,
  touched: Touched,
): Promise<boolean> {
  const version = e.aggregateVersion;
  switch (e.eventType) {
    case 'ShowtimeCreated': {
      const p = payloadOf(e.eventType, e);
      await insertIfAbsent(tx, 'movie_facts', 'movie_id', p.movieId, { movie_title: p.movieTitle });
      await insertIfAbsent(tx, 'showtime_facts', 'showtime_id', p.showtimeId, {
        movie_id: p.movieId,
        movie_title: p.movieTitle,
        auditorium_id: p.auditoriumId,
        auditorium_name: p.auditoriumName,
        capacity: p.capacity,
        starts_at: new Date(p.startsAt),
        price_amount_minor: p.priceAmountMinor,
        currency: p.currency,
      });
      touched.showtimes.add(p.showtimeId);
      return true;
    }
    case 'ReservationCreated': {
      const p = payloadOf(e.eventType, e);
      await upsertVersioned(tx, 'reservation_facts', 'reservation_id', p.reservationId, version, {
        showtime_id: p.showtimeId,
        seat_count: p.seats.length,
        total_amount_minor: p.totalAmountMinor,
        currency: p.currency,
        status: 'Pending',
      });
      touched.showtimes.add(p.showtimeId); // payments of this reservation may have arrived first
      return true;
    }
    case 'ReservationConfirmed':
    case 'ReservationCancelled':
    case 'ReservationExpired': {
      const p = payloadOf(e.eventType, e);
      const status = RESERVATION_STATUS[e.eventType] ?? 'Pending';
      await updateVersioned(tx, 'reservation_facts', 'reservation_id', p.reservationId, version, { status });
      return true;
    }
    case 'PaymentCompleted': {
      const p = payloadOf(e.eventType, e);
      await upsertVersioned(tx, 'payment_facts', 'payment_id', p.paymentId, version, {
        reservation_id: p.reservationId,
        amount_minor: p.amountMinor,
        currency: p.currency,
        status: 'Completed',
      });
      touched.reservations.add(p.reservationId);
      return true;
    }
    case 'PaymentRefunded': {
      const p = payloadOf(e.eventType, e);
      // Refunds are of the full amount, so a refund seen first still knows what was paid.
      await upsertVersioned(
        tx,
        'payment_facts',
        'payment_id',
        p.paymentId,
        version,
        {
          reservation_id: p.reservationId,
          amount_minor: p.refundedAmountMinor,
          refunded_amount_minor: p.refundedAmountMinor,
          currency: p.currency,
          status: 'Refunded',
        },
        ['refunded_amount_minor', 'status'],
      );
      touched.reservations.add(p.reservationId);
      return true;
    }
    case 'TicketIssued': {
      const p = payloadOf(e.eventType, e);
      await upsertVersioned(tx, 'ticket_facts', 'ticket_id', p.ticketId, version, {
        reservation_id: p.reservationId,
        showtime_id: p.showtimeId,
        seat_count: p.seats.length,
        total_amount_minor: p.totalAmountMinor,
        currency: p.currency,
        status: 'Issued',
      });
      touched.showtimes.add(p.showtimeId);
      return true;
    }
    case 'TicketUsed':
    case 'TicketCancelled':
    case 'TicketRefunded': {
      const p = payloadOf(e.eventType, e);
      const status = TICKET_STATUS[e.eventType] ?? 'Issued';
      await updateVersioned(tx, 'ticket_facts', 'ticket_id', p.ticketId, version, { status });
      const { rows } = await tx.query(
        sql`SELECT showtime_id FROM ticket_facts WHERE ticket_id = ${p.ticketId}`,
      );
      if (rows[0]) touched.showtimes.add(read.str(rows[0].showtime_id, 'showtime_id'));
      return true;
    }
    default:
      return false;
  }
}

// ---- fact writes: table and column names are code constants, values are parameters ----------

type FactTable = 'movie_facts' | 'showtime_facts' | 'reservation_facts' | 'payment_facts' | 'ticket_facts';
type Columns = Readonly<Record<string, SqlValue>>;

const ident = (name: string): SqlFragment => {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`not an identifier: ${name}`);
  return trustedRaw(name);
};
const names = (columns: Columns) => join(Object.keys(columns).map(ident));
const values = (columns: Columns) => join(Object.values(columns));
const assignments = (columns: Columns, keys: readonly string[]) =>
  join(keys.map((k) => sql`${ident(k)} = ${columns[k] ?? null}`));

async function insertIfAbsent(tx: Transaction, table: FactTable, key: string, id: string, columns: Columns) {
  const all = { [key]: id, ...columns };
  await tx.query(
    sql`${byDialect({
      postgres: sql`INSERT INTO ${ident(table)} (${names(all)}) VALUES (${values(all)}) ON CONFLICT (${ident(key)}) DO NOTHING`,
      mssql: sql`
        IF NOT EXISTS (SELECT 1 FROM ${ident(table)} WITH (UPDLOCK, HOLDLOCK) WHERE ${ident(key)} = ${id})
          INSERT INTO ${ident(table)} (${names(all)}) VALUES (${values(all)});`,
    })}`,
  );
}

/** Inserts the fact, or updates `updatable` columns if this event is newer than the stored one. */
async function upsertVersioned(
  tx: Transaction,
  table: FactTable,
  key: string,
  id: string,
  version: number,
  columns: Columns,
  updatable: readonly string[] = Object.keys(columns),
) {
  const all = { [key]: id, ...columns, version };
  const set = assignments(all, [...updatable, 'version']);
  await tx.query(
    sql`${byDialect({
      postgres: sql`
        INSERT INTO ${ident(table)} (${names(all)}) VALUES (${values(all)})
        ON CONFLICT (${ident(key)}) DO UPDATE SET ${set} WHERE ${ident(table)}.version < ${version}`,
      mssql: sql`
        UPDATE ${ident(table)} SET ${set} WHERE ${ident(key)} = ${id} AND version < ${version};
        IF @@ROWCOUNT = 0 AND NOT EXISTS (SELECT 1 FROM ${ident(table)} WHERE ${ident(key)} = ${id})
          INSERT INTO ${ident(table)} (${names(all)}) VALUES (${values(all)});`,
    })}`,
  );
}

/** Updates an existing fact if this event is newer (a status change needs the creating event's row). */
async function updateVersioned(
  tx: Transaction,
  table: FactTable,
  key: string,
  id: string,
  version: number,
  columns: Columns,
) {
  const all = { ...columns, version };
  await tx.query(sql`
    UPDATE ${ident(table)} SET ${assignments(all, Object.keys(all))}
    WHERE ${ident(key)} = ${id} AND version < ${version}`);
}

async function showtimesOf(tx: Transaction, reservationIds: ReadonlySet<string>): Promise<string[]> {
  const ids = [...reservationIds];
  const found: string[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const { rows } = await tx.query(sql`
      SELECT DISTINCT showtime_id FROM reservation_facts WHERE reservation_id IN (${join(ids.slice(i, i + 500))})`);
    found.push(...rows.map((r) => read.str(r.showtime_id, 'showtime_id')));
  }
  return found;
}

// ---- summaries ------------------------------------------------------------------------------------

/** Rebuilds one showtime's sales row from the facts; returns its movie id (null: not yet known). */
async function recomputeShowtime(tx: Transaction, showtimeId: string): Promise<string | null> {
  // No row locks here: batches take turns (ONE_BATCH_AT_A_TIME) for the whole transaction.
  const facts = await tx.query(sql`SELECT movie_id FROM showtime_facts WHERE showtime_id = ${showtimeId}`);
  const row = facts.rows[0];
  if (!row) return null; // ShowtimeCreated not projected yet: it will recompute when it arrives
  await tx.query(sql`DELETE FROM showtime_sales WHERE showtime_id = ${showtimeId}`);
  await tx.query(sql`
    INSERT INTO showtime_sales (showtime_id, movie_id, movie_title, auditorium_name, starts_at, capacity,
      tickets_issued, tickets_refunded, seats_sold, seats_refunded, seats_occupied,
      gross_revenue_minor, refunded_minor, net_revenue_minor, currency)
    SELECT f.showtime_id, f.movie_id, f.movie_title, f.auditorium_name, f.starts_at, f.capacity,
      COALESCE(t.tickets_issued, 0), COALESCE(t.tickets_refunded, 0),
      COALESCE(t.seats_sold, 0), COALESCE(t.seats_refunded, 0),
      COALESCE(t.seats_sold, 0) - COALESCE(t.seats_refunded, 0),
      COALESCE(p.gross, 0), COALESCE(p.refunded, 0), COALESCE(p.gross, 0) - COALESCE(p.refunded, 0),
      f.currency
    FROM showtime_facts f
    LEFT JOIN (
      SELECT showtime_id,
        COUNT(*) AS tickets_issued,
        SUM(CASE WHEN status IN ('Refunded', 'Voided') THEN 1 ELSE 0 END) AS tickets_refunded,
        SUM(seat_count) AS seats_sold,
        SUM(CASE WHEN status IN ('Refunded', 'Voided') THEN seat_count ELSE 0 END) AS seats_refunded
      FROM ticket_facts WHERE showtime_id = ${showtimeId} GROUP BY showtime_id
    ) t ON t.showtime_id = f.showtime_id
    LEFT JOIN (
      SELECT r.showtime_id, SUM(pf.amount_minor) AS gross, SUM(pf.refunded_amount_minor) AS refunded
      FROM payment_facts pf JOIN reservation_facts r ON r.reservation_id = pf.reservation_id
      WHERE r.showtime_id = ${showtimeId} AND pf.status IN ('Completed', 'Refunded')
      GROUP BY r.showtime_id
    ) p ON p.showtime_id = f.showtime_id
    WHERE f.showtime_id = ${showtimeId}`);
  return read.str(row.movie_id, 'movie_id');
}

async function recomputeMovie(tx: Transaction, movieId: string): Promise<void> {
  await tx.query(sql`DELETE FROM movie_sales WHERE movie_id = ${movieId}`);
  await tx.query(sql`
    INSERT INTO movie_sales (movie_id, currency, movie_title, showtimes, capacity, tickets_issued, tickets_refunded,
      seats_sold, seats_refunded, seats_occupied, gross_revenue_minor, refunded_minor, net_revenue_minor)
    SELECT s.movie_id, s.currency, MAX(s.movie_title), COUNT(*), SUM(s.capacity), SUM(s.tickets_issued),
      SUM(s.tickets_refunded), SUM(s.seats_sold), SUM(s.seats_refunded), SUM(s.seats_occupied),
      SUM(s.gross_revenue_minor), SUM(s.refunded_minor), SUM(s.net_revenue_minor)
    FROM showtime_sales s WHERE s.movie_id = ${movieId}
    GROUP BY s.movie_id, s.currency`);
}

// ---- reads --------------------------------------------------------------------------------------

function figures(row: Row): SalesFigures {
  const n = (column: string) => read.int(row[column], column);
  return {
    ticketsIssued: n('tickets_issued'),
    ticketsRefunded: n('tickets_refunded'),
    seatsSold: n('seats_sold'),
    seatsRefunded: n('seats_refunded'),
    seatsOccupied: n('seats_occupied'),
    capacity: n('capacity'),
    grossRevenueMinor: n('gross_revenue_minor'),
    refundedMinor: n('refunded_minor'),
    netRevenueMinor: n('net_revenue_minor'),
    currency: read.str(row.currency, 'currency'),
  };
}

export async function getShowtimeSales(db: Queryable, showtimeId: string): Promise<ShowtimeSales | null> {
  const { rows } = await db.query(sql`SELECT * FROM showtime_sales WHERE showtime_id = ${showtimeId}`);
  const row = rows[0];
  if (!row) return null;
  return {
    showtimeId: read.str(row.showtime_id, 'showtime_id'),
    movieId: read.str(row.movie_id, 'movie_id'),
    movieTitle: read.str(row.movie_title, 'movie_title'),
    auditoriumName: read.str(row.auditorium_name, 'auditorium_name'),
    startsAt: read.iso(row.starts_at, 'starts_at'),
    ...figures(row),
  };
}

/** Per movie, one row per currency it was sold in. */
export async function getMovieSales(db: Queryable, movieId: string): Promise<MovieSales[]> {
  const { rows } = await db.query(
    sql`SELECT * FROM movie_sales WHERE movie_id = ${movieId} ORDER BY currency`,
  );
  return rows.map((row) => ({
    movieId: read.str(row.movie_id, 'movie_id'),
    movieTitle: read.str(row.movie_title, 'movie_title'),
    showtimes: read.int(row.showtimes, 'showtimes'),
    ...figures(row),
  }));
}
