/**
 * The workflow code each worker runs, by its `workflowsPath`. Replay must bundle exactly these
 * modules: a history is only meaningful against the code a worker would run it with. The paths
 * mirror workers/saga-worker.ts and workers/relay-worker.ts (bundles.unit.test.ts keeps them in step).
 */
export interface WorkflowBundle {
  /** The worker that runs it (for the report). */
  readonly worker: string;
  readonly workflowsPath: string;
}

export const WORKER_BUNDLES: readonly WorkflowBundle[] = [
  { worker: 'saga-worker', workflowsPath: require.resolve('../workflows') },
  { worker: 'relay-worker', workflowsPath: require.resolve('../workflows/outbox-relay') },
];

/**
 * The workflow types a bundle registers: the functions its module exports, as the worker's
 * bundler sees them. Loading the module outside the sandbox is fine: workflow modules only
 * define things at import time.
 */
export function workflowTypesOf(bundle: WorkflowBundle): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(bundle.workflowsPath) as Record<string, unknown>;
  return Object.keys(exported).filter((name) => typeof exported[name] === 'function');
}

/** The bundle that runs `workflowType`, or null when no worker registers it. */
export function bundleFor(workflowType: string, bundles: readonly WorkflowBundle[]): WorkflowBundle | null {
  return bundles.find((b) => workflowTypesOf(b).includes(workflowType)) ?? null;
}
