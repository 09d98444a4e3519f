import type { DomainEvent } from '../shared/events';
import type { SeatRef } from '../shared/seat';
import type { CompensationName, SagaStepName } from './saga-steps';

export interface SagaStartedPayload {
  readonly sagaId: string;
  readonly customerId: string;
  readonly showtimeId: string;
  readonly seats: readonly SeatRef[];
  readonly startedAt: string;
}

export interface StepCompletedPayload {
  readonly sagaId: string;
  readonly stepName: SagaStepName;
  readonly stepNumber: number;
  readonly message: string;
  readonly reservationId: string | null;
  readonly paymentId: string | null;
  readonly ticketId: string | null;
  readonly ticketNumber: string | null;
}

export interface StepFailedPayload {
  readonly sagaId: string;
  readonly stepName: SagaStepName;
  readonly stepNumber: number;
  readonly reason: string;
  readonly possiblyApplied: boolean;
  readonly compensations: readonly CompensationName[]; // in the order they will run
}

export interface CompensationCompletedPayload {
  readonly sagaId: string;
  readonly compensation: CompensationName;
  readonly message: string;
}

export interface SagaCompletedPayload {
  readonly sagaId: string;
  readonly customerId: string;
  readonly showtimeId: string;
  readonly reservationId: string;
  readonly paymentId: string;
  readonly ticketId: string;
  readonly ticketNumber: string;
  readonly completedAt: string;
}

export interface SagaCompensatedPayload {
  readonly sagaId: string;
  readonly customerId: string;
  readonly showtimeId: string;
  readonly reason: string;
  readonly failedStep: SagaStepName;
  readonly compensations: readonly CompensationName[];
  readonly completedAt: string;
}

export interface SagaFailedPayload {
  readonly sagaId: string;
  readonly reason: string;
  readonly abandonReason: string;
  readonly pendingCompensations: readonly CompensationName[];
  readonly failedAt: string;
}

export type SagaStarted = DomainEvent<'SagaStarted', SagaStartedPayload>;
export type StepCompleted = DomainEvent<'StepCompleted', StepCompletedPayload>;
/** The moment the saga turns to compensation. */
export type StepFailed = DomainEvent<'StepFailed', StepFailedPayload>;
/** One compensation done (a read model can show the rollback). */
export type CompensationCompleted = DomainEvent<'CompensationCompleted', CompensationCompletedPayload>;
export type SagaCompleted = DomainEvent<'SagaCompleted', SagaCompletedPayload>;
export type SagaCompensated = DomainEvent<'SagaCompensated', SagaCompensatedPayload>;
/** Compensation abandoned, needs a person. */
export type SagaFailed = DomainEvent<'SagaFailed', SagaFailedPayload>;

export type SagaEvent =
  | SagaStarted
  | StepCompleted
  | StepFailed
  | CompensationCompleted
  | SagaCompleted
  | SagaCompensated
  | SagaFailed;
