import type { DomainEvent } from '../shared/events';
import type { SeatRef } from '../shared/seat';

export interface TicketIssuedPayload {
  readonly ticketId: string;
  readonly ticketNumber: string;
  readonly reservationId: string;
  readonly paymentId: string;
  readonly showtimeId: string;
  readonly customerId: string;
  readonly movieTitle: string;
  readonly screeningTime: string;
  readonly auditoriumName: string;
  readonly seats: readonly SeatRef[];
  readonly totalAmountMinor: number;
  readonly currency: string;
  readonly qrCode: string;
  readonly issuedAt: string;
}

export interface TicketUsedPayload {
  readonly ticketId: string;
  readonly ticketNumber: string;
  readonly usedAt: string;
}

/** Raised when a ticket is voided (status Voided). */
export interface TicketCancelledPayload {
  readonly ticketId: string;
  readonly ticketNumber: string;
  readonly reservationId: string;
  readonly reason: string;
  readonly cancelledAt: string;
}

export interface TicketRefundedPayload {
  readonly ticketId: string;
  readonly ticketNumber: string;
  readonly reservationId: string;
  readonly paymentId: string;
  readonly reason: string;
  readonly refundedAt: string;
}

export type TicketIssued = DomainEvent<'TicketIssued', TicketIssuedPayload>;
export type TicketUsed = DomainEvent<'TicketUsed', TicketUsedPayload>;
export type TicketCancelled = DomainEvent<'TicketCancelled', TicketCancelledPayload>;
export type TicketRefunded = DomainEvent<'TicketRefunded', TicketRefundedPayload>;

export type TicketEvent = TicketIssued | TicketUsed | TicketCancelled | TicketRefunded;
