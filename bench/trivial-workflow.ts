/**
 * The yardstick of bench:purchase: a workflow of four no-op activities in a row, run on the same
 * Temporal server as the purchases, so every purchase figure has the server's own floor beside it.
 * (Workflow code: bundled by the bench, sandbox-safe.)
 */
import { proxyActivities } from '@temporalio/workflow';

export interface TrivialActivities {
  noop(step: number): Promise<number>;
}

const { noop } = proxyActivities<TrivialActivities>({ startToCloseTimeout: '10 seconds' });

export async function trivialFourSteps(): Promise<number> {
  let sum = 0;
  for (let step = 1; step <= 4; step++) sum += await noop(step);
  return sum;
}
