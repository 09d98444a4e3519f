/**
 * What the workers' workflow bundle holds. Every new workflow (and every replay after an
 * eviction) evaluates all the modules its workflow file imports, so that closure is paid per run:
 * it must stay the purchase's own domain modules, without the other aggregates or zod's event
 * schemas (which once cost about a sixth of the saga worker's workflow-thread CPU; README,
 * Benchmarks). The dependency rule `workflow-imports-modules` names the usual cause.
 */
import { bundleWorkflowCode } from '@temporalio/worker';

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

it('the workflow bundle holds the purchase domain only: no zod, no other aggregate', async () => {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: silent,
  });
  const modules = new Set(
    [...code.matchAll(/"\.\/((?:domain|node_modules\/zod)\/[^"]+)"/g)].map((m) => m[1] ?? ''),
  );

  expect([...modules].filter((m) => m.startsWith('node_modules/zod/'))).toEqual([]);
  expect([...modules].filter((m) => m.startsWith('domain/')).sort()).toEqual([
    'domain/purchase/saga-state.ts',
    'domain/purchase/saga-steps.ts',
    'domain/purchase/ticket-purchase-saga.ts',
    'domain/shared/aggregate-root.ts',
    'domain/shared/ids.ts',
    'domain/shared/result.ts',
    'domain/shared/seat.ts',
  ]);
});
