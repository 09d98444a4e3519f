/**
 * A promise or a deadline, whichever comes first. Drivers have their own timeouts, but not all of
 * them cover every phase (a frozen server accepts TCP and never answers), and a probe, a query or
 * a readiness check must end. Neutral: imports nothing from the project (.dependency-cruiser.cjs).
 */

/** The work did not settle within its deadline. `what` names it in the message. */
export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';

  constructor(
    readonly what: string | undefined,
    readonly ms: number,
    options?: { cause?: unknown },
  ) {
    super(`${what === undefined ? '' : `${what}: `}no answer within ${ms} ms`, options);
  }
}

/**
 * Settles as `work` does, or rejects with DeadlineExceeded after `ms`. `work` may be a function:
 * it is called inside, so one that throws before returning a promise rejects like any other
 * failure. Giving up does not stop the work (nothing here can cancel it); the timer is cleared as
 * soon as either side settles, so it never keeps a process alive.
 */
export function withDeadline<T>(
  work: Promise<T> | (() => T | Promise<T>),
  ms: number,
  what?: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(what, ms)), ms);
  });
  const settled = typeof work === 'function' ? Promise.resolve().then(work) : work;
  return Promise.race([settled, deadline]).finally(() => clearTimeout(timer));
}
