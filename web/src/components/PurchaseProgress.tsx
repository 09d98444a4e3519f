import type { SagaStatus } from '../api';

const STEPS: ReadonlyArray<[string, string]> = [
  ['ReserveSeats', 'Reserving your seats'],
  ['ProcessPayment', 'Taking the payment'],
  ['ConfirmReservation', 'Confirming the seats'],
  ['IssueTicket', 'Issuing your ticket'],
];
const UNDO: Readonly<Record<string, string>> = {
  ReleaseSeats: 'Seats released',
  RefundPayment: 'Payment refunded',
  CancelReservation: 'Reservation cancelled',
  VoidTicket: 'Ticket cancelled',
};

/** The purchase's steps as the saga reports them: done, in progress, failed, and any undoing. */
export function PurchaseProgress({ status }: { status: SagaStatus | null }) {
  const logs = status?.stepLogs ?? [];
  const done = new Map(logs.filter((l) => STEPS.some(([n]) => n === l.stepName)).map((l) => [l.stepName, l]));
  const undone = logs.filter((l) => UNDO[l.stepName]);
  const running = status === null || status.status === 'Started' || status.status === 'InProgress';
  const firstOpen = STEPS.findIndex(([n]) => !done.has(n));
  return (
    <div className="progress" aria-live="polite">
      <ol>
        {STEPS.map(([name, label], i) => {
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
          {undone.map((l) => (
            <li key={l.stepName + l.timestamp}>{UNDO[l.stepName]}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
