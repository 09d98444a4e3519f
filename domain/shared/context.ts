/**
 * Time and identity come from outside the domain. The saga state machine runs inside Temporal's
 * deterministic workflow sandbox, and activities must produce the same ids when retried, so the
 * domain never reads a clock or a random source itself: callers hand these in.
 */
export interface Clock {
  now(): Date;
}

/** Produces event ids (UUIDs: the outbox and consumers dedupe on them). */
export interface IdGenerator {
  nextId(): string;
}

/** What every state-changing aggregate method needs besides its own arguments. */
export interface DomainContext {
  readonly clock: Clock;
  readonly ids: IdGenerator;
}
