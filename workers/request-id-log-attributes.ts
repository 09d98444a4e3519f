/**
 * Puts the request id an activity's input carries on the log lines the SDK itself writes for that
 * attempt ("Activity failed", "Activity completed"), so Temporal's own lines join a purchase's
 * trail like the lines the activities log through `attemptLog`.
 */
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

function requestIdOf(args: readonly unknown[]): string | undefined {
  const input = args[0];
  if (typeof input !== 'object' || input === null || !('requestId' in input)) return undefined;
  return typeof input.requestId === 'string' ? input.requestId : undefined;
}

/** One interceptor pair per attempt: `execute` sees the input, `getLogAttributes` runs per log line. */
export const requestIdLogAttributes: ActivityInterceptorsFactory = () => {
  let requestId: string | undefined;
  return {
    inbound: {
      execute: (input, next) => {
        requestId = requestIdOf(input.args);
        return next(input);
      },
    },
    outbound: {
      getLogAttributes: (attributes, next) =>
        next(requestId === undefined ? attributes : { ...attributes, requestId }),
    },
  };
};
