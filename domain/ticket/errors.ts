import type { DomainError } from '../shared/result';
import type { IdErrorCode } from '../shared/ids';
import type { InstantErrorCode } from '../shared/time';

export type TicketErrorCode =
  | IdErrorCode
  | InstantErrorCode
  | 'InvalidTicketNumber'
  | 'InvalidTicketDetails'
  | 'ReservationNotConfirmed'
  | 'PaymentNotCompleted'
  | 'PaymentReservationMismatch'
  | 'PaymentAmountMismatch'
  | 'TicketAlreadyUsed'
  | 'TicketVoided'
  | 'TicketRefunded'
  | 'TicketNotFound';

export type TicketError = DomainError<TicketErrorCode>;
