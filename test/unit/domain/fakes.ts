import type { Clock, DomainContext, IdGenerator } from '../../../domain/shared/context';
import { expectOk } from '../../../domain/shared/result';

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  private current: Date;

  constructor(start: string | Date = '2025-01-08T12:00:00Z') {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(to: string | Date): void {
    this.current = new Date(to);
  }

  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }

  advanceSeconds(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

/** UUID-shaped, sequential: 00000000-0000-4000-8000-000000000001, ...002, ... */
export class SequentialIds implements IdGenerator {
  private n = 0;

  nextId(): string {
    this.n += 1;
    return `00000000-0000-4000-8000-${String(this.n).padStart(12, '0')}`;
  }
}

export interface TestContext extends DomainContext {
  readonly clock: FakeClock;
}

export const testContext = (start?: string | Date): TestContext => ({
  clock: new FakeClock(start),
  ids: new SequentialIds(),
});

/** Expect a failed result with this code (and return the error for further checks). */
export function expectErr<E extends { code: string; message: string }>(
  result: { ok: true } | { ok: false; error: E },
  code: E['code'],
): E {
  if (result.ok) throw new Error(`expected error ${code}, got ok`);
  expect(result.error.code).toBe(code);
  expect(result.error.message.length).toBeGreaterThan(0);
  return result.error;
}

export { expectOk };
