import { SAGA_STEPS, type CompensationName, type SagaStepName } from '../../../domain/purchase/saga-steps';
import type { SagaStatus } from '../api';

/** Complete by type: a step or compensation the saga gains fails web:build until it has its words. */
const LABELS: Readonly<Record<SagaStepName, string>> = {
  ReserveSeats: 'Reserving your seats',
  ProcessPayment: 'Taking the payment',
  ConfirmReservation: 'Confirming the seats',
  IssueTicket: 'Issuing your ticket',
};
const UNDO: Readonly<Record<CompensationName, string>> = {
  ReleaseSeats: 'Seats released',
  RefundPayment: 'Payment refunded',
  CancelReservation: 'Reservation cancelled',
  VoidTicket: 'Ticket cancelled',
};
type StepName = SagaStatus['stepLogs'][number]['stepName'];
const isForward = (name: StepName): name is SagaStepName =>
  (SAGA_STEPS as readonly StepName[]).includes(name);

/** The purchase's steps as the saga reports them: done, in progress, failed, and any undoing. */
export function PurchaseProgress({ status }: { status: SagaStatus | null }) {
  const logs = status?.stepLogs ?? [];
  const done = new Map(logs.filter((l) => isForward(l.stepName)).map((l) => [l.stepName, l]));
  const undone = logs.flatMap(({ stepName, timestamp }) =>
    isForward(stepName) ? [] : [{ key: stepName + timestamp, words: UNDO[stepName] }],
  );
  const running = status === null || status.status === 'Started' || status.status === 'InProgress';
  const firstOpen = SAGA_STEPS.findIndex((n) => !done.has(n));
  return (
    <div className="progress" aria-live="polite">
      <ol>
        {SAGA_STEPS.map((name, i) => {
          const label = LABELS[name];
          const log = done.get(name);
          const state = log
            ? log.success
              ? 'done'
              : 'failed'
            : running && i === firstOpen
              ? 'active'
              : 'waiting';
          const word = { done: 'done', failed: 'failed', active: 'in progress', waiting: 'waiting' }[state];
          return (
            <li key={name} className={`step ${state}`} data-step={name}>
              <span className="mark" aria-hidden="true">
                {state === 'done' ? '✓' : state === 'failed' ? '✗' : state === 'active' ? '…' : '·'}
              </span>
              {label}: {word}
            </li>
          );
        })}
      </ol>
      {undone.length > 0 && (
        <ul className="undo">
          {undone.map((u) => (
            <li key={u.key}>{u.words}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
