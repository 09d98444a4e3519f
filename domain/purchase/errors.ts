import type { DomainError } from '../shared/result';
import type { IdErrorCode } from '../shared/ids';
import type { SeatErrorCode } from '../shared/seat';

export type SagaErrorCode =
  | IdErrorCode
  | SeatErrorCode
  | 'NoSeatsRequested'
  | 'IllegalSagaTransition' // a step or compensation out of order, or after the saga ended
  | 'MissingStepResult' // a step reported success without the id it must produce
  | 'SagaNotFound';

export type SagaError = DomainError<SagaErrorCode>;
