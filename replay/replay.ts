/**
 * Replays histories against the current workflow code: each history goes to the bundle of the
 * worker that registers its workflow type, and one replay worker per bundle runs its histories
 * one after the other. Replay never talks to the server and never runs an activity: it checks
 * that the code, fed the recorded events, issues the same commands in the same order.
 */
import type { DataConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';

import { bundleFor, WORKER_BUNDLES, type WorkflowBundle } from './bundles';
import type { LoadedHistory } from './histories';

export interface ReplayOutcome {
  readonly history: LoadedHistory;
  /** The worker whose workflow code replayed it (null: no worker registers the type). */
  readonly worker: string | null;
  /** DeterminismViolationError (code and history disagree), ReplayError, or another failure. */
  readonly error: Error | null;
}

export interface ReplayOptions {
  /** The workflow code to replay against; the workers' own bundles unless told otherwise. */
  readonly bundles?: readonly WorkflowBundle[];
  /** Decodes payloads the way the workers do (the payload codec); stored plain payloads pass through. */
  readonly dataConverter?: DataConverter;
}

export async function replayHistories(
  histories: readonly LoadedHistory[],
  options: ReplayOptions = {},
): Promise<ReplayOutcome[]> {
  const bundles = options.bundles ?? WORKER_BUNDLES;
  const outcomes = new Map<LoadedHistory, ReplayOutcome>();
  const groups = new Map<WorkflowBundle, LoadedHistory[]>();
  for (const history of histories) {
    const bundle = bundleFor(history.workflowType, bundles);
    if (bundle === null) {
      const error = new Error(`no worker registers workflow type "${history.workflowType}"`);
      outcomes.set(history, { history, worker: null, error });
    } else {
      groups.set(bundle, [...(groups.get(bundle) ?? []), history]);
    }
  }
  for (const [bundle, group] of groups) {
    for (const outcome of await replayGroup(bundle, group, options.dataConverter)) {
      outcomes.set(outcome.history, outcome);
    }
  }
  return histories.map((h) => outcomes.get(h)!);
}

async function replayGroup(
  bundle: WorkflowBundle,
  group: readonly LoadedHistory[],
  dataConverter: DataConverter | undefined,
): Promise<ReplayOutcome[]> {
  const results = Worker.runReplayHistories(
    { workflowsPath: bundle.workflowsPath, replayName: `replay-${bundle.worker}`, dataConverter },
    group.map((h) => ({ workflowId: h.workflowId, history: h.history })),
  );
  const outcomes: ReplayOutcome[] = [];
  // Results come back in the order the histories went in, one each.
  for await (const result of results) {
    const history = group[outcomes.length]!;
    outcomes.push({ history, worker: bundle.worker, error: result.error ?? null });
  }
  if (outcomes.length !== group.length) {
    throw new Error(
      `replay of ${bundle.worker}'s histories stopped after ${outcomes.length} of ${group.length}`,
    );
  }
  return outcomes;
}
