/** The smoke test's workflow: one activity call, so both workflow and activity execution are exercised. */
import { proxyActivities } from '@temporalio/workflow';
import type { SmokeActivities } from './smoke.activities';

const { shout } = proxyActivities<SmokeActivities>({ startToCloseTimeout: '10 seconds' });

export async function smokeGreeting(name: string): Promise<string> {
  return `hello, ${await shout(name)}`;
}
