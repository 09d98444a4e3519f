/**
 * Inputs and results of the saga activities: plain JSON, because they travel through Temporal
 * history. Every id is minted by the workflow (uuid4) and passed in, so a retried activity and a
 * compensation registered before its step both name the same rows.
 */
import type { SagaEvent } from '../domain/purchase/events';
import type { TicketPurchaseSagaSnapshot } from '../domain/purchase/ticket-purchase-saga';
import type { Clock } from '../domain/shared/context';
import type { SeatRef } from '../domain/shared/seat';
import type { Database } from '../db/database';
import type { UnitOfWork } from '../db/unit-of-work';
import type { PaymentProvider } from '../providers/payment/payment-provider';
import type { TicketQrSigner } from '../providers/ticket-qr';

/** pino's shape (`log.info({ sagaId }, 'message')`), so any structured logger fits. */
export interface ActivityLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  /** A logger whose every line also carries `bindings` (each activity binds its workflow and request ids). */
  child(bindings: Record<string, unknown>): ActivityLog;
}

export interface ActivityDeps {
  readonly db: Database;
  readonly uow: UnitOfWork;
  readonly provider: PaymentProvider;
  readonly clock: Clock;
  readonly log: ActivityLog;
  /** Signs the QR code of each ticket issued. */
  readonly ticketQr: TicketQrSigner;
}

/**
 * The client request (X-Request-Id) that started the workflow, or null when none did. Every event
 * the activity writes and every line it logs carries it, next to the asking workflow's id.
 */
export interface RequestScoped {
  readonly requestId: string | null;
}

/**
 * Who asks for an activity: the workflow, by its id (`purchase-…`, `reservation-…`, `refund-…`),
 * and the request behind it. The workflow id keys the activity's stored step results (with its
 * step name, for idempotency), is the correlation id of every event it writes, and names the
 * purchase that takes a hold over. Activity tasks scheduled before it had this name carry it as
 * `sagaId` (activities/support.ts acceptOldInputs).
 */
export interface WorkflowScoped extends RequestScoped {
  readonly workflowId: string;
  /** The run whose step results these are (activities/support.ts stepScope); absent in older runs. */
  readonly runKey?: string;
}

/**
 * The input of every activity of the purchase saga, also run by the hold and refund workflows
 * (with no saga events): the events the saga has raised since the last activity that succeeded.
 * They are written to the outbox in the activity's own transaction, skipping an event whose
 * aggregate version is already there (db/outbox/outbox-writer.ts notYetInOutbox says why by
 * version, not by event id).
 */
export interface SagaActivityInput extends WorkflowScoped {
  readonly sagaEvents: readonly SagaEvent[];
}

export interface ReserveSeatsInput extends SagaActivityInput {
  readonly reservationId: string;
  readonly showtimeId: string;
  readonly customerId: string;
  readonly seats: readonly SeatRef[];
  readonly holdExpiresAt: string; // ISO-8601; the workflow's hold timer fires at the same instant
  /**
   * Take over the customer's existing hold `reservationId` (Reservation.claimFor) instead of
   * reserving anew; `seats` must then be the held ones, and `holdExpiresAt` is the hold's own.
   */
  readonly claimHold?: boolean;
}

export interface ReserveSeatsResult {
  readonly reservationId: string;
  readonly seats: readonly SeatRef[];
  readonly totalAmountMinor: number;
  readonly currency: string;
  readonly movieTitle: string;
  readonly screeningTime: string;
  /** Absent in results recorded before it was added. */
  readonly auditoriumName?: string;
  /** When the taken-over hold lapses (claimHold only). */
  readonly holdExpiresAt?: string;
  readonly message: string;
}

/** What the API edge kept of the card: a provider token, brand and last 4 digits. */
export interface ChargeDetails {
  readonly method: string;
  readonly token: string;
  readonly cardBrand: string | null;
  readonly cardLast4: string | null;
}

export interface ProcessPaymentInput extends SagaActivityInput {
  readonly paymentId: string;
  readonly reservationId: string;
  readonly customerId: string;
  readonly payment: ChargeDetails;
}

export interface ProcessPaymentResult {
  readonly paymentId: string;
  readonly transactionId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly message: string;
}

export interface ConfirmReservationInput extends SagaActivityInput {
  readonly reservationId: string;
}

export interface StepMessage {
  readonly message: string;
}

export interface IssueTicketInput extends SagaActivityInput {
  readonly ticketId: string;
  readonly reservationId: string;
  readonly paymentId: string;
  /**
   * What the ticket prints about the showtime, as ReserveSeats read it (a showtime's movie, time
   * and hall don't change under a reservation): the step then skips reading it again. Absent
   * from sagas that reserved before it was passed; the step reads it then.
   */
  readonly showtime?: ShowtimeOnTicket;
  /**
   * The purchase saga as it stands, IssueTicket in flight. Given, the step also records its own
   * success and the saga's completion (their events) in its transaction, and gives the saga back
   * after them (`IssueTicketResult.saga`): the purchase then needs no closing bookkeeping.
   */
  readonly closingSaga?: TicketPurchaseSagaSnapshot;
}

export interface ShowtimeOnTicket {
  readonly movieTitle: string;
  readonly screeningTime: string;
  readonly auditoriumName?: string;
}

export interface IssueTicketResult {
  readonly ticketId: string;
  readonly ticketNumber: string;
  readonly seats: readonly SeatRef[];
  readonly totalAmountMinor: number;
  readonly currency: string;
  readonly message: string;
  /** The saga after this step and its completion, when the input carried `closingSaga`. */
  readonly saga?: TicketPurchaseSagaSnapshot;
}

export interface ReleaseSeatsInput extends SagaActivityInput {
  readonly reservationId: string;
  readonly reason: string;
  /** A purchase that took over a hold releases it only once its claim stands (never the bare hold). */
  readonly claimedHold?: boolean;
  /** Asked by the reservationHold workflow: a reservation a purchase took over is left to it. */
  readonly fromHold?: boolean;
}

export interface RefundPaymentInput extends SagaActivityInput {
  readonly paymentId: string;
  readonly reason: string;
}

export interface CancelReservationInput extends SagaActivityInput {
  readonly reservationId: string;
  readonly reason: string;
  /** Asked by the reservationHold workflow: a reservation a purchase took over is left to it. */
  readonly fromHold?: boolean;
}

export interface VoidTicketInput extends SagaActivityInput {
  readonly ticketId: string;
  readonly reason: string;
}

/** A compensation always succeeds eventually; `undone` is false when there was nothing to undo. */
export interface CompensationResult {
  readonly message: string;
  readonly undone: boolean;
  /** The purchase saga that took the reservation over, when that is why nothing was undone. */
  readonly claimedBy?: string;
}

/** The customer refund (refundTicket workflow), keyed by the refund workflow id. */
export interface RefundCompletedPaymentInput extends RequestScoped {
  readonly refundId: string;
  readonly paymentId: string;
  readonly reason: string;
}

export interface RefundCompletedPaymentResult {
  readonly paymentId: string;
  readonly reservationId: string;
  readonly refundedAmountMinor: number;
  readonly refundedAmount: number; // decimal, for the public JSON only
  readonly currency: string;
  readonly refundReason: string;
}

export interface MarkTicketRefundedInput extends RequestScoped {
  readonly refundId: string;
  readonly reservationId: string;
  readonly reason: string;
}

export interface MarkTicketRefundedResult {
  readonly ticketId: string | null;
  readonly message: string;
}
