/**
 * The saga's states: Started, InProgress, Completed, Compensating, Failed, and `Compensated`, the
 * state behind the failure response's "Compensated: <reason>". A saga that rolled back cleanly
 * is a normal, expected outcome (declined card, seat taken), so it gets its own final state;
 * `Failed` is kept for the rare saga whose compensation had to be abandoned and that needs a
 * person to look at it. Final states: Completed, Compensated, Failed.
 */
export const SagaState = {
  Started: 'Started',
  InProgress: 'InProgress',
  Compensating: 'Compensating',
  Completed: 'Completed',
  Compensated: 'Compensated',
  Failed: 'Failed',
} as const;
export type SagaState = (typeof SagaState)[keyof typeof SagaState];

export const SAGA_STATES: readonly SagaState[] = Object.values(SagaState);

export const isFinalSagaState = (state: SagaState): boolean =>
  state === SagaState.Completed || state === SagaState.Compensated || state === SagaState.Failed;
