import type { DomainError } from '../shared/result';
import type { IdErrorCode } from '../shared/ids';
import type { InstantErrorCode } from '../shared/time';
import type { MoneyErrorCode } from '../shared/money';
import type { SeatErrorCode } from '../shared/seat';

export type ShowtimeErrorCode =
  | IdErrorCode
  | InstantErrorCode
  | MoneyErrorCode
  | SeatErrorCode
  | 'InvalidMovie'
  | 'InvalidAuditorium'
  | 'InvalidScreeningTime'
  | 'InvalidPrice'
  | 'ShowtimeInPast'
  | 'ShowtimeOverlaps'
  // Raised by the application layer when a lookup misses; listed here so the API maps one union.
  | 'ShowtimeNotFound'
  | 'MovieNotFound'
  | 'AuditoriumNotFound';

export type ShowtimeError = DomainError<ShowtimeErrorCode>;
