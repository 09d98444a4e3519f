/**
 * Stub activities for the workflow tests: registered under the real activities' names
 * (activities/index.ts), they answer like a healthy system and record each call, per saga (or
 * refund), in the order the workflow made them. A test makes any of them behave otherwise for
 * one saga only (refuse, fail, hang until cancelled) with `on`.
 */
import { randomUUID } from 'node:crypto';

import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { BookingActivities } from '../../activities';
import type { SagaEvent } from '../../domain';
import { ticketIssued } from '../../domain/purchase/ticket-purchase-saga';
import type { DomainContext } from '../../domain/shared/context';
import { expectOk } from '../../domain/shared/result';

export type ActivityName = keyof BookingActivities;
type Answer<N extends ActivityName> = (
  input: Parameters<BookingActivities[N]>[0],
) => ReturnType<BookingActivities[N]>;
/** An override gets the healthy answer too, to fall back on. */
type Handler<N extends ActivityName> = (
  input: Parameters<BookingActivities[N]>[0],
  healthy: Answer<N>,
) => ReturnType<BookingActivities[N]>;
export type Overrides = { [N in ActivityName]?: Handler<N> };

/** What every stubbed ReserveSeats charges per seat. */
export const SEAT_PRICE_MINOR = 1250;

interface Input {
  readonly workflowId?: string;
  readonly refundId?: string;
  readonly sagaEvents?: readonly SagaEvent[];
}

/** What stubs that raise domain events stamp them with: the real clock, random ids. */
const STUB_CONTEXT: DomainContext = {
  clock: { now: () => new Date() },
  ids: { nextId: () => randomUUID() },
};

/** The workflow a call belongs to: each test's workflows have ids of their own. */
const keyOf = (input: Input) => input.workflowId ?? input.refundId ?? '(no id)';

/** A business refusal, as the real activities raise one (a non-retryable failure typed with a domain code). */
export function refuse<N extends ActivityName>(code: string, message: string): Handler<N> {
  return (() => Promise.reject(ApplicationFailure.nonRetryable(message, code))) as unknown as Handler<N>;
}

/** A failure the retry policy retries (a database or provider outage), on every attempt. */
export function outage<N extends ActivityName>(message = 'connection refused'): Handler<N> {
  return (() => Promise.reject(new Error(message))) as unknown as Handler<N>;
}

/** An outage that lasts `attempts` attempts; then the activity answers as usual. */
export function outageFor<N extends ActivityName>(attempts: number): Handler<N> {
  let left = attempts;
  return ((input: never, healthy: (input: never) => unknown) =>
    left-- > 0 ? Promise.reject(new Error('connection refused')) : healthy(input)) as unknown as Handler<N>;
}

/** Back to the healthy answer (after an outage). */
export function healthy<N extends ActivityName>(): Handler<N> {
  return ((input: never, answer: (input: never) => unknown) => answer(input)) as unknown as Handler<N>;
}

export class StubActivities {
  private readonly calls = new Map<string, string[]>();
  private readonly delivered = new Map<string, SagaEvent[]>();
  private readonly overrides = new Map<string, Overrides>();
  private readonly waiters: Array<{ key: string; entry: string; resolve: () => void }> = [];

  /** Register these on the Worker: regular and local activities alike are looked up by name. */
  readonly activities: BookingActivities = {
    reserveSeats: this.stub('reserveSeats', async (input) => ({
      reservationId: input.reservationId,
      seats: input.seats,
      totalAmountMinor: SEAT_PRICE_MINOR * input.seats.length,
      currency: 'EUR',
      movieTitle: 'Inception',
      screeningTime: '2030-01-01T18:00:00.000Z',
      auditoriumName: 'Hall 1',
      message: 'Seats held',
    })),
    processPayment: this.stub('processPayment', async (input) => ({
      paymentId: input.paymentId,
      transactionId: `txn-${input.paymentId}`,
      amountMinor: SEAT_PRICE_MINOR,
      currency: 'EUR',
      message: 'Charged',
    })),
    confirmReservation: this.stub('confirmReservation', async () => ({ message: 'Reservation confirmed' })),
    issueTicket: this.stub('issueTicket', async (input) => {
      const issued = {
        ticketId: input.ticketId,
        ticketNumber: 'TKT-STUB-0001',
        seats: [],
        totalAmountMinor: SEAT_PRICE_MINOR,
        currency: 'EUR',
        message: 'Ticket issued',
      };
      if (!input.closingSaga) return issued;
      // As the real step does: its success and the saga's end recorded with the ticket.
      const { saga, events } = expectOk(ticketIssued(input.closingSaga, issued, STUB_CONTEXT));
      this.deliver(keyOf(input), [...input.sagaEvents, ...events]); // in the real one's order
      return { ...issued, saga };
    }),
    releaseSeats: this.stub('releaseSeats', async () => ({ message: 'Seats released', undone: true })),
    cancelReservation: this.stub('cancelReservation', async () => ({
      message: 'Reservation cancelled',
      undone: true,
    })),
    voidTicket: this.stub('voidTicket', async () => ({ message: 'Ticket voided', undone: true })),
    refundPayment: this.stub('refundPayment', async () => ({ message: 'Payment refunded', undone: true })),
    recordSagaEvents: this.stub('recordSagaEvents', async () => undefined),
    refundCompletedPayment: this.stub('refundCompletedPayment', async (input) => ({
      paymentId: input.paymentId,
      reservationId: `reservation-of-${input.paymentId}`,
      refundedAmountMinor: 2500,
      refundedAmount: 25,
      currency: 'EUR',
      refundReason: input.reason,
    })),
    markTicketRefunded: this.stub('markTicketRefunded', async () => ({
      ticketId: 'ticket-1',
      message: 'Ticket refunded',
    })),
  };

  /** From now on, the given activities behave like `overrides` for the saga (or refund) `key`. */
  on(key: string, overrides: Overrides): void {
    this.overrides.set(key, { ...this.overrides.get(key), ...overrides });
  }

  /**
   * The activities called for `key`, in order, one entry per attempt. A stub made by
   * `untilCancelled` adds "<name> stopped" when its cancellation has reached it.
   */
  callsOf(key: string): string[] {
    return [...(this.calls.get(key) ?? [])];
  }

  /** Event types of the saga events handed to activities that succeeded, each event once. */
  eventsDelivered(key: string): string[] {
    return (this.delivered.get(key) ?? []).map((e) => e.eventType);
  }

  /** Resolves once `entry` (an activity name, or "<name> stopped") is in the calls of `key`. */
  reached(key: string, entry: string): Promise<void> {
    if (this.calls.get(key)?.includes(entry)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ key, entry, resolve }));
  }

  /**
   * A stub that runs until the workflow cancels it: it heartbeats (the cancellation arrives in a
   * heartbeat's answer) and then fails as cancelled, like an activity that honours a cancel.
   */
  untilCancelled<N extends ActivityName>(name: N, after: 'fail' | 'succeed anyway' = 'fail'): Handler<N> {
    return (async (input: Input, answer: (input: Input) => unknown) => {
      try {
        for (;;) {
          Context.current().heartbeat();
          await Context.current().sleep(50);
        }
      } catch (error) {
        if (!(error instanceof CancelledFailure)) throw error;
        this.record(keyOf(input), `${name} stopped`);
        // The provider had already taken the money when the cancel came.
        if (after === 'succeed anyway') return answer(input);
        throw error;
      }
    }) as unknown as Handler<N>;
  }

  private stub<N extends ActivityName>(name: N, answer: Answer<N>): BookingActivities[N] {
    return (async (input: Parameters<BookingActivities[N]>[0]) => {
      const key = keyOf(input as Input);
      this.record(key, name);
      const override = this.overrides.get(key)?.[name] as Handler<N> | undefined;
      const result = await (override ? override(input, answer) : answer(input));
      this.deliver(key, (input as Input).sagaEvents ?? []);
      return result;
    }) as BookingActivities[N];
  }

  private record(key: string, entry: string): void {
    this.calls.set(key, [...(this.calls.get(key) ?? []), entry]);
    for (const waiter of this.waiters.filter((w) => w.key === key && w.entry === entry)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  /** The events an activity that succeeded wrote (the real ones skip any already written). */
  private deliver(key: string, events: readonly SagaEvent[]): void {
    const known = this.delivered.get(key) ?? [];
    const fresh = events.filter((e) => !known.some((k) => k.eventId === e.eventId));
    this.delivered.set(key, [...known, ...fresh]);
  }
}
