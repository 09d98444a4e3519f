import type { DomainError } from '../shared/result';
import type { IdErrorCode } from '../shared/ids';
import type { InstantErrorCode } from '../shared/time';
import type { MoneyErrorCode } from '../shared/money';
import type { SeatErrorCode } from '../shared/seat';

export type ReservationErrorCode =
  | IdErrorCode
  | InstantErrorCode
  | MoneyErrorCode
  | SeatErrorCode
  | 'NoSeatsRequested'
  | 'TooManySeats'
  | 'DuplicateSeat'
  | 'SeatNotInAuditorium'
  | 'SeatAlreadyTaken'
  | 'AuditoriumMismatch'
  | 'ShowtimeInPast'
  | 'InvalidHoldExpiry'
  | 'ReservationExpired' // confirm after the hold lapsed
  | 'ReservationNotPending' // confirm/expire of a reservation that is no longer Pending
  | 'HoldNotExpired' // expire before the hold lapsed
  | 'ReservationNotFound'
  | 'HoldExpired' // a purchase claims a hold that ended or lapsed
  | 'HoldAlreadyClaimed' // a purchase claims a hold another purchase took over
  | 'HoldSeatsMismatch'; // a purchase claims a hold for other seats than the held ones

export type ReservationError = DomainError<ReservationErrorCode>;
