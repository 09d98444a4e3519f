/**
 * One test file's workflow environment: the time-skipping test server (test/support/time-skipping.ts)
 * and a Worker running the real workflows (workflows/index.ts) with stub activities.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { StubActivities } from './stub-activities';

export interface WorkflowHarness {
  readonly env: TestWorkflowEnvironment;
  readonly stubs: StubActivities;
  readonly taskQueue: string;
  close(): Promise<void>;
}

export async function startWorkflowHarness(): Promise<WorkflowHarness> {
  const env = await createTimeSkippingEnv();
  try {
    const stubs = new StubActivities();
    const taskQueue = 'workflow-tests';
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: stubs.activities,
      // A cancelled activity hears of it in the answer to a heartbeat; by default heartbeats are
      // sent every 4 s (0.8 x ProcessPayment's 5 s heartbeat timeout), which only slows tests down.
      maxHeartbeatThrottleInterval: '50 ms',
    });
    const running = worker.run();
    return {
      env,
      stubs,
      taskQueue,
      async close() {
        worker.shutdown();
        await running;
        await env.teardown();
      },
    };
  } catch (error) {
    await env.teardown();
    throw error;
  }
}
