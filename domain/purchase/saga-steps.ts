/** The forward steps, in the only order they may run. */
export const SAGA_STEPS = ['ReserveSeats', 'ProcessPayment', 'ConfirmReservation', 'IssueTicket'] as const;
export type SagaStepName = (typeof SAGA_STEPS)[number];

export const TOTAL_SAGA_STEPS = SAGA_STEPS.length;

/** What undoes each step. Undoing IssueTicket voids the ticket (its status becomes Voided). */
export const COMPENSATION_OF = {
  ReserveSeats: 'ReleaseSeats',
  ProcessPayment: 'RefundPayment',
  ConfirmReservation: 'CancelReservation',
  IssueTicket: 'VoidTicket',
} as const satisfies Record<SagaStepName, string>;
export type CompensationName = (typeof COMPENSATION_OF)[SagaStepName];

export const COMPENSATIONS: readonly CompensationName[] = SAGA_STEPS.map((s) => COMPENSATION_OF[s]);

/**
 * The step each compensation undoes: COMPENSATION_OF read backwards (Object.fromEntries drops the
 * key types, hence the cast; test/unit/domain/purchase.unit.test.ts checks the round trip).
 */
export const STEP_UNDONE_BY = Object.fromEntries(SAGA_STEPS.map((s) => [COMPENSATION_OF[s], s])) as {
  readonly [S in SagaStepName as (typeof COMPENSATION_OF)[S]]: S;
};

/** 1-based position of a step, as the status body's `currentStep` counts. */
export const stepNumber = (step: SagaStepName): number => SAGA_STEPS.indexOf(step) + 1;

/** One line of the status body's `stepLogs`: a forward step or a compensation, with its outcome. */
export interface StepLog {
  readonly stepName: SagaStepName | CompensationName;
  readonly success: boolean;
  readonly message: string;
  readonly timestamp: string; // ISO-8601 UTC
}

/** Ids the steps produce, which later steps, compensations and the API response need. */
export interface SagaRefs {
  readonly reservationId: string | null;
  readonly paymentId: string | null;
  readonly transactionId: string | null;
  readonly ticketId: string | null;
  readonly ticketNumber: string | null;
}
