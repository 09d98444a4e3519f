/**
 * A Temporal client call bounded by a gRPC deadline. Unlike a race against a timer
 * (lib/deadline.ts), the deadline travels with every request `call` makes, so the server stops
 * waiting too (a long-polled update or result does not outlive the HTTP request). A missed
 * deadline rejects with lib/deadline's DeadlineExceeded, as every other bounded wait does.
 */
import { isGrpcDeadlineError, type Client } from '@temporalio/client';
import { DeadlineExceeded } from '../../lib/deadline';

export async function withTemporalDeadline<T>(
  client: Client,
  ms: number,
  what: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await client.withDeadline(Date.now() + ms, call);
  } catch (error) {
    if (isGrpcDeadlineError(error)) throw new DeadlineExceeded(what, ms, { cause: error });
    throw error;
  }
}
