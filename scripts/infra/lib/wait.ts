/** Polling with a deadline: readiness waits and other "until it answers" loops. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Returns a reason to stop waiting at once (e.g. the process exited). */
  giveUpIf?: () => string | undefined;
}

/**
 * Rejects if `promise` has not settled within `ms`. Drivers have their own timeouts, but not all
 * of them cover every phase (a frozen server accepts TCP and never answers), and a probe must end.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Calls `attempt` until it resolves; on timeout rejects with the last attempt's error. */
export async function waitUntil(
  what: string,
  attempt: () => Promise<unknown>,
  options: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const reason = options.giveUpIf?.();
    if (reason) throw new Error(`${what}: ${reason}`);
    try {
      await attempt();
      return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(
        `${what}: not ready after ${Math.round(options.timeoutMs / 1000)} s (last error: ${detail})`,
      );
    }
    await sleep(options.intervalMs ?? 500);
  }
}
