/** Polls until a condition holds; past the deadline it fails with what it was waiting for. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number; detail?: () => unknown } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) {
      const detail = options.detail ? ` (${JSON.stringify(await options.detail())})` : '';
      throw new Error(`gave up waiting for ${what}${detail}`);
    }
    await sleep(options.intervalMs ?? 250);
  }
}
