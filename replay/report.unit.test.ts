/** The replay report: one line per history, the mismatch placed in the recorded history, the hint once. */
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { ReplayError } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';

import type { LoadedHistory } from './histories';
import { formatReport } from './report';

const history = historyFromJSON({
  events: [
    {
      eventId: '1',
      eventType: 'WorkflowExecutionStarted',
      workflowExecutionStartedEventAttributes: { workflowType: { name: 'ticketPurchase' } },
    },
    { eventId: '2', eventType: 'WorkflowTaskScheduled', workflowTaskScheduledEventAttributes: {} },
    { eventId: '3', eventType: 'WorkflowTaskStarted', workflowTaskStartedEventAttributes: {} },
    { eventId: '4', eventType: 'WorkflowTaskCompleted', workflowTaskCompletedEventAttributes: {} },
    {
      eventId: '5',
      eventType: 'TimerStarted',
      timerStartedEventAttributes: { timerId: '1', startToFireTimeout: '600s' },
    },
    {
      eventId: '6',
      eventType: 'ActivityTaskScheduled',
      activityTaskScheduledEventAttributes: { activityId: '1', activityType: { name: 'reserveSeats' } },
    },
  ],
});

const loaded = (workflowId: string): LoadedHistory => ({
  source: `histories/${workflowId}.json`,
  workflowId,
  runId: null,
  workflowType: 'ticketPurchase',
  history,
});

// As the SDK reports it (seen replaying purchase-success with an activity added first): Core's
// sentence inside a debug dump of the failure.
const violation = new DeterminismViolationError(
  'Replay failed with a nondeterminism error. This means that the workflow code as written is not compatible ' +
    'with the history that was fed in. Details: Workflow activation completion failed: Failure { failure: ' +
    'Some(Failure { message: "[TMPRL1100] Nondeterminism error: Activity machine does not handle this event: ' +
    'HistoryEvent(id: 5, TimerStarted)", source: "", stack_trace: "", encoded_attributes: None, cause: None }), ' +
    'force_cause: NonDeterministicError }',
);

it('lists replayed histories and ends with the count', () => {
  const report = formatReport([{ history: loaded('purchase-a'), worker: 'saga-worker', error: null }]);

  expect(report).toBe(
    "ok    ticketPurchase purchase-a (histories/purchase-a.json): 6 events replayed by saga-worker's code\n" +
      '1 replayed, all deterministic',
  );
});

it("names the failing history, Core's explanation and the recorded events around the mismatch", () => {
  const report = formatReport([
    { history: loaded('purchase-a'), worker: 'saga-worker', error: null },
    { history: loaded('purchase-b'), worker: 'saga-worker', error: violation },
  ]);

  expect(report).toContain('FAIL  ticketPurchase purchase-b (histories/purchase-b.json)');
  expect(report).toContain(
    'DeterminismViolationError: [TMPRL1100] Nondeterminism error: Activity machine does not handle this event: ' +
      'HistoryEvent(id: 5, TimerStarted)\n',
  );
  expect(report).toContain('          4 WorkflowTaskCompleted\n      >   5 TimerStarted timer 1 (600s)\n');
  expect(report).toContain('          6 ActivityTaskScheduled reserveSeats');
  expect(report).toContain("patched('<change-id>')");
  expect(report.endsWith('2 replayed, 1 failed')).toBe(true);
});

it('reports other replay failures as they are, without the patch hint', () => {
  const report = formatReport([
    {
      history: loaded('purchase-c'),
      worker: 'saga-worker',
      error: new ReplayError('workflow task failed: boom'),
    },
  ]);

  expect(report).toContain('      ReplayError: workflow task failed: boom');
  expect(report).not.toContain('patched(');
});
