import type { SagaStatus } from '../api';

type StepName = SagaStatus['stepLogs'][number]['stepName'];

/** The steps a purchase runs, in order; every other step name is an undo. */
const STEPS = [
  'ReserveSeats',
  'ProcessPayment',
  'ConfirmReservation',
  'IssueTicket',
] as const satisfies readonly StepName[];
type ForwardStep = (typeof STEPS)[number];

/** Complete by type: a step the saga gains fails to compile here until it has its words. */
const LABELS: Readonly<Record<ForwardStep, string>> = {
  ReserveSeats: 'Reserving your seats',
  ProcessPayment: 'Taking the payment',
  ConfirmReservation: 'Confirming the seats',
  IssueTicket: 'Issuing your ticket',
};
const UNDO: Readonly<Record<Exclude<StepName, ForwardStep>, string>> = {
  ReleaseSeats: 'Seats released',
  RefundPayment: 'Payment refunded',
  CancelReservation: 'Reservation cancelled',
  VoidTicket: 'Ticket cancelled',
};
const isForward = (name: StepName): name is ForwardStep => (STEPS as readonly StepName[]).includes(name);

/** The purchase's steps as the saga reports them: done, in progress, failed, and any undoing. */
export function PurchaseProgress({ status }: { status: SagaStatus | null }) {
  const logs = status?.stepLogs ?? [];
  const done = new Map(logs.filter((l) => isForward(l.stepName)).map((l) => [l.stepName, l]));
  const undone = logs.flatMap(({ stepName, timestamp }) =>
    isForward(stepName) ? [] : [{ key: stepName + timestamp, words: UNDO[stepName] }],
  );
  const running = status === null || status.status === 'Started' || status.status === 'InProgress';
  const firstOpen = STEPS.findIndex((n) => !done.has(n));
  return (
    <div className="progress" aria-live="polite">
      <ol>
        {STEPS.map((name, i) => {
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
