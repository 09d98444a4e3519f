import type { PaymentErrorCode } from './payment/errors';
import type { SagaErrorCode } from './purchase/errors';
import type { ReservationErrorCode } from './reservation/errors';
import type { ShowtimeErrorCode } from './showtime/errors';
import type { TicketErrorCode } from './ticket/errors';

export type DomainErrorCode =
  ShowtimeErrorCode | ReservationErrorCode | PaymentErrorCode | TicketErrorCode | SagaErrorCode;

/**
 * How callers should treat each code. `validation`: the request itself is malformed (HTTP 400).
 * `not-found`: a referenced thing does not exist (404). `conflict`: the request clashes with the
 * current state (409). `rule`: well-formed but refused by a business rule (422, or 400 where the API
 * answers a plain 400, as the purchase routes do). Every domain error is a non-retryable failure
 * for the saga.
 */
export type DomainErrorCategory = 'validation' | 'not-found' | 'conflict' | 'rule';

export const ERROR_CATEGORY: Readonly<Record<DomainErrorCode, DomainErrorCategory>> = {
  // shared value objects
  InvalidId: 'validation',
  InvalidInstant: 'validation',
  InvalidMoney: 'validation',
  InvalidCurrency: 'validation',
  CurrencyMismatch: 'rule',
  InvalidSeat: 'validation',
  // showtime
  InvalidMovie: 'validation',
  InvalidAuditorium: 'validation',
  InvalidScreeningTime: 'validation',
  InvalidPrice: 'validation',
  ShowtimeInPast: 'rule',
  ShowtimeOverlaps: 'conflict',
  ShowtimeNotFound: 'not-found',
  MovieNotFound: 'not-found',
  AuditoriumNotFound: 'not-found',
  // reservation
  NoSeatsRequested: 'validation',
  TooManySeats: 'validation',
  DuplicateSeat: 'validation',
  SeatNotInAuditorium: 'validation',
  SeatAlreadyTaken: 'conflict',
  AuditoriumMismatch: 'rule',
  InvalidHoldExpiry: 'validation',
  ReservationExpired: 'conflict',
  ReservationNotPending: 'conflict',
  HoldNotExpired: 'conflict',
  ReservationNotFound: 'not-found',
  HoldExpired: 'conflict',
  HoldAlreadyClaimed: 'conflict',
  HoldSeatsMismatch: 'rule',
  // payment
  InvalidCardNumber: 'validation',
  InvalidCardDetails: 'validation',
  CardDetailsRequired: 'validation',
  InvalidPaymentMethod: 'validation',
  InvalidPaymentAmount: 'validation',
  TransactionIdRequired: 'validation',
  RefundReasonRequired: 'validation',
  PaymentNotPending: 'conflict',
  PaymentNotCompleted: 'conflict',
  PaymentNotFound: 'not-found',
  // ticket
  InvalidTicketNumber: 'validation',
  InvalidTicketDetails: 'validation',
  ReservationNotConfirmed: 'rule',
  PaymentReservationMismatch: 'rule',
  PaymentAmountMismatch: 'rule',
  TicketAlreadyUsed: 'conflict',
  TicketVoided: 'conflict',
  TicketRefunded: 'conflict',
  TicketNotFound: 'not-found',
  // purchase saga
  IllegalSagaTransition: 'conflict',
  MissingStepResult: 'validation',
  SagaNotFound: 'not-found',
};

export const DOMAIN_ERROR_CODES = Object.keys(ERROR_CATEGORY) as DomainErrorCode[];

export const isDomainErrorCode = (value: string): value is DomainErrorCode =>
  Object.prototype.hasOwnProperty.call(ERROR_CATEGORY, value);

/** Category of a code; unknown codes (from a newer peer) count as rule violations. */
export const errorCategory = (code: string): DomainErrorCategory =>
  isDomainErrorCode(code) ? ERROR_CATEGORY[code] : 'rule';
