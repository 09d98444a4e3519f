/**
 * The replay report a person reads: one line per history; for each failure, what went wrong and
 * where in the recorded history; once at the end, what to do about non-determinism.
 */
import type { History } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';

import { coreMessage, eventsAround, mismatchEventId } from './events';
import type { ReplayOutcome } from './replay';

const PATCH_HINT = `
What now: the current workflow code does not issue the commands these histories recorded, so
running workflows like them would fail their next workflow task after a deploy. Keep the old
path for them: put the change behind \`if (patched('<change-id>')) { new } else { old }\`, and
once no run that started before it is left, \`deprecatePatch('<change-id>')\` (README, "Changing
the workflow safely"). If the change is patched and only the golden histories in test/histories
lack it, re-record them: npm run histories:record.`;

export function formatReport(outcomes: readonly ReplayOutcome[]): string {
  const lines: string[] = [];
  for (const { history, worker, error } of outcomes) {
    const run = history.runId ? ` run ${history.runId}` : '';
    const what = `${history.workflowType} ${history.workflowId}${run} (${history.source})`;
    if (error === null) {
      lines.push(`ok    ${what}: ${history.history.events?.length ?? 0} events replayed by ${worker}'s code`);
    } else if (error instanceof DeterminismViolationError) {
      lines.push(`FAIL  ${what}`, ...indent(describeMismatch(history.history, error.message)));
    } else {
      lines.push(`FAIL  ${what}`, ...indent(`${error.name}: ${coreMessage(error.message) ?? error.message}`));
    }
  }
  if (outcomes.some((o) => o.error instanceof DeterminismViolationError))
    lines.push(...PATCH_HINT.split('\n'));
  const failed = outcomes.filter((o) => o.error !== null).length;
  lines.push(
    failed === 0
      ? `${outcomes.length} replayed, all deterministic`
      : `${outcomes.length} replayed, ${failed} failed`,
  );
  return lines.join('\n');
}

/** Core's explanation and the recorded events where code and history part ways. */
function describeMismatch(history: History, message: string): string {
  const eventId = mismatchEventId(message);
  const lines = [`DeterminismViolationError: ${coreMessage(message) ?? message}`];
  if (eventId !== null) lines.push('the recorded history there:', ...eventsAround(history, eventId));
  return lines.join('\n');
}

const indent = (text: string) => text.split('\n').map((line) => `      ${line}`);
