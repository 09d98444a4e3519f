/**
 * Replay bundles the same workflow modules the workers run: a history replayed against other code
 * than the worker's would prove nothing.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { bundleFor, WORKER_BUNDLES, workflowTypesOf } from './bundles';

const workers = join(__dirname, '../workers');

function workflowsPathOf(workerFile: string): string {
  const source = readFileSync(join(workers, workerFile), 'utf8');
  const found = /workflowsPath:\s*require\.resolve\('([^']+)'\)/.exec(source);
  if (!found) throw new Error(`${workerFile} no longer sets workflowsPath: require.resolve('...')`);
  return require.resolve(resolve(workers, found[1]!));
}

it.each([
  ['saga-worker', 'saga-worker.ts'],
  ['relay-worker', 'relay-worker.ts'],
])("%s's bundle is the module the worker runs", (worker, file) => {
  expect(WORKER_BUNDLES.find((b) => b.worker === worker)?.workflowsPath).toBe(workflowsPathOf(file));
});

it('finds the bundle of each workflow type', () => {
  expect(workflowTypesOf(WORKER_BUNDLES[0]!)).toEqual(
    expect.arrayContaining(['ticketPurchase', 'refundTicket']),
  );
  expect(bundleFor('outboxRelay', WORKER_BUNDLES)?.worker).toBe('relay-worker');
  expect(bundleFor('noSuchWorkflow', WORKER_BUNDLES)).toBeNull();
});
