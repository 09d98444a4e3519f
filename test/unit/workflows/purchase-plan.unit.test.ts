/**
 * The purchase plan's type (workflows/saga-runner.ts) holds every step of the domain's
 * SAGA_STEPS with its undo: the `@ts-expect-error` lines below are plans the compiler must refuse
 * (`npm run build` fails when one of them compiles). At run time, a compensation the saga plans
 * reaches the undo declared beside its own step, as SagaRunner.compensate looks it up.
 */
import { COMPENSATIONS, STEP_UNDONE_BY, type SagaStepName } from '../../../domain';
import type { PurchasePlan, StepPlan, StepResult } from '../../../workflows/saga-runner';

/** A step that answers `result` and whose undo says which step it undid. */
function stub<S extends SagaStepName>(step: S, result: StepResult<S>): StepPlan<S> {
  return {
    run: async () => result,
    undo: async () => ({ message: `undid ${step}`, undone: true }),
  };
}

const reserved = {
  reservationId: 'r1',
  seats: [{ row: 1, number: 1 }],
  totalAmountMinor: 1250,
  currency: 'EUR',
  movieTitle: 'Inception',
  screeningTime: '2030-01-01T18:00:00.000Z',
  message: 'Seats held',
};
const charged = {
  paymentId: 'p1',
  transactionId: 't1',
  amountMinor: 1250,
  currency: 'EUR',
  message: 'Charged',
};
const issued = {
  ticketId: 'tk1',
  ticketNumber: 'TKT-1',
  seats: [],
  totalAmountMinor: 1250,
  currency: 'EUR',
  message: 'Ticket issued',
};

const plan: PurchasePlan = {
  ReserveSeats: stub('ReserveSeats', reserved),
  ProcessPayment: stub('ProcessPayment', charged),
  ConfirmReservation: stub('ConfirmReservation', { message: 'Reservation confirmed' }),
  IssueTicket: stub('IssueTicket', issued),
};

/** Plans the compiler must refuse: checked by `npm run build` (tsc), never run. */
export const refusedPlans: PurchasePlan[] = [
  // @ts-expect-error: a plan without IssueTicket
  {
    ReserveSeats: plan.ReserveSeats,
    ProcessPayment: plan.ProcessPayment,
    ConfirmReservation: plan.ConfirmReservation,
  },
  {
    ReserveSeats: plan.ReserveSeats,
    ProcessPayment: plan.ProcessPayment,
    ConfirmReservation: plan.ConfirmReservation,
    // @ts-expect-error: IssueTicket without its undo (VoidTicket)
    IssueTicket: { run: async () => issued },
  },
  {
    // @ts-expect-error: ReserveSeats run by the charge (its result is not reserveSeats')
    ReserveSeats: plan.ProcessPayment,
    ProcessPayment: plan.ProcessPayment,
    ConfirmReservation: plan.ConfirmReservation,
    IssueTicket: plan.IssueTicket,
  },
];

describe('the purchase plan', () => {
  it('runs the undo declared beside the step each planned compensation undoes', async () => {
    const undone = await Promise.all(COMPENSATIONS.map((c) => plan[STEP_UNDONE_BY[c]].undo([])));
    expect(undone.map((u) => u.message)).toEqual([
      'undid ReserveSeats',
      'undid ProcessPayment',
      'undid ConfirmReservation',
      'undid IssueTicket',
    ]);
  });
});
