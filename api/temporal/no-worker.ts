/**
 * Whether a query failed because no worker answered it. With the workers gone, the server does not
 * always let the query run into the caller's deadline: within a while of the last poll it gives up
 * a second early with FAILED_PRECONDITION ("no poller seen for task queue recently, worker may be
 * down"). Both mean the same to a caller: the saga can't answer now, try again.
 */
import { status as grpcStatus } from '@grpc/grpc-js';
import { isGrpcServiceError } from '@temporalio/client';

export function noWorkerAnswered(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (isGrpcServiceError(e) && e.code === grpcStatus.FAILED_PRECONDITION) return true;
  }
  return false;
}
