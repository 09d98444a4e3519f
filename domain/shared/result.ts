/**
 * The Result pattern: business rule violations are values, not exceptions. Exceptions are
 * reserved for bugs and infrastructure faults, which is also how the saga tells a non-retryable
 * business failure from a transient one.
 */
export type Result<T, E extends DomainError = DomainError> = Ok<T> | Err<E>;

export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

export interface Err<E extends DomainError> {
  readonly ok: false;
  readonly error: E;
}

/** A broken business rule: a stable machine-readable code plus a sentence for people. */
export interface DomainError<C extends string = string> {
  readonly code: C;
  readonly message: string;
}

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <C extends string>(code: C, message: string): Err<DomainError<C>> => ({
  ok: false,
  error: { code, message },
});

/** Unwraps a result whose failure would be a programming error (tests, seed data). */
export function expectOk<T, E extends DomainError>(result: Result<T, E>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}
