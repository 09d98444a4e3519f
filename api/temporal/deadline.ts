/**
 * A Temporal client call bounded by a gRPC deadline. Unlike a race against a timer
 * (lib/deadline.ts), the deadline travels with every request `call` makes, so the server stops
 * waiting too (a long-polled update or result does not outlive the HTTP request). A missed
 * deadline rejects with lib/deadline's DeadlineExceeded, as every other bounded wait does.
 */
import { isGrpcCancelledError, isGrpcDeadlineError, type Client } from '@temporalio/client';
import { DeadlineExceeded } from '../../lib/deadline';

export async function withTemporalDeadline<T>(
  client: Client,
  ms: number,
  what: string,
  call: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + ms;
  try {
    return await client.withDeadline(deadline, call);
  } catch (error) {
    // At the deadline grpc-js sometimes ends the call as CANCELLED rather than DEADLINE_EXCEEDED
    // (seen on a status query with no worker polling): past the deadline, both mean no answer in time.
    const missed = isGrpcDeadlineError(error) || (isGrpcCancelledError(error) && Date.now() >= deadline);
    if (missed) throw new DeadlineExceeded(what, ms, { cause: error });
    throw error;
  }
}
