/**
 * One transaction for the business rows and the outbox rows of every event the saved aggregates
 * raised: both commit, or neither does.
 *
 *   const result = await uow.run(async (tx) => {
 *     const showtime = await tx.showtimes.get(id);
 *     ...
 *     return tx.reservations.save(reservation); // Result: SeatAlreadyTaken is a value
 *   }, { correlationId: sagaId, requestId });
 *
 * `work` decides the outcome: resolving commits; throwing rolls back and rethrows; resolving with
 * a failed Result (`{ ok: false }`) rolls back and returns it, so a business failure never commits
 * half a change. Deadlocks and serialization failures re-run `work` in a fresh transaction.
 */
import type { DomainEvent } from '../domain/shared/events';
import type { Database, Transaction } from './database';
import { PaymentRepository } from './repositories/payment-repository';
import { ReservationRepository } from './repositories/reservation-repository';
import { ShowtimeRepository } from './repositories/showtime-repository';
import { TicketRepository } from './repositories/ticket-repository';
import { WriteSession } from './write-session';

export interface Repositories {
  readonly showtimes: ShowtimeRepository;
  readonly reservations: ReservationRepository;
  readonly payments: PaymentRepository;
  readonly tickets: TicketRepository;
}

export interface UnitOfWorkContext extends Repositories {
  /** The open transaction, for runOnce and the odd bespoke statement. */
  readonly db: Transaction;
  readonly correlationId: string | null;
  readonly requestId: string | null;
  /**
   * Writes events that have no table of their own (e.g. the purchase saga's) to the outbox, with
   * the transaction's other events just before it commits (so not visible to queries before that).
   */
  recordEvents(events: readonly DomainEvent[]): void;
}

export interface RunOptions {
  /** Saga id or request id, copied into every envelope this unit of work writes. */
  readonly correlationId?: string | null;
  /** The client request (X-Request-Id) behind this work, copied into every envelope too. */
  readonly requestId?: string | null;
}

export interface UnitOfWorkOptions {
  /** Re-runs after a deadlock or serialization failure (default 3). */
  readonly transientRetries?: number;
}

/** Read-only repositories on the pool, for queries outside a unit of work (saving throws). */
export function readRepositories(db: Database): Repositories {
  return {
    showtimes: new ShowtimeRepository(db, null),
    reservations: new ReservationRepository(db, null),
    payments: new PaymentRepository(db, null),
    tickets: new TicketRepository(db, null),
  };
}

class RollbackWith {
  constructor(readonly value: unknown) {}
}

const isFailedResult = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && 'ok' in value && value.ok === false && 'error' in value;

export class UnitOfWork {
  constructor(
    private readonly db: Database,
    private readonly options: UnitOfWorkOptions = {},
  ) {}

  async run<T>(work: (tx: UnitOfWorkContext) => Promise<T>, options: RunOptions = {}): Promise<T> {
    const origin = { correlationId: options.correlationId ?? null, requestId: options.requestId ?? null };
    let session: WriteSession | undefined;
    try {
      const value = await this.db.transaction(
        async (tx) => {
          session = new WriteSession(tx, origin);
          const value = await work(context(tx, session));
          if (isFailedResult(value)) throw new RollbackWith(value);
          session.assertNothingUnsaved();
          await session.writeEvents();
          return value;
        },
        { retries: this.options.transientRetries ?? 3 },
      );
      session?.acknowledge();
      return value;
    } catch (error) {
      if (error instanceof RollbackWith) return error.value as T;
      throw error;
    }
  }
}

function context(tx: Transaction, session: WriteSession): UnitOfWorkContext {
  return {
    db: tx,
    correlationId: session.origin.correlationId,
    requestId: session.origin.requestId,
    showtimes: new ShowtimeRepository(tx, session),
    reservations: new ReservationRepository(tx, session),
    payments: new PaymentRepository(tx, session),
    tickets: new TicketRepository(tx, session),
    recordEvents: (events) => session.appendEvents(events),
  };
}
