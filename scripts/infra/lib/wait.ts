/** Polling with a deadline: readiness waits and other "until it answers" loops. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Returns a reason to stop waiting at once (e.g. the process exited). */
  giveUpIf?: () => string | undefined;
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
