/**
 * Is a failure about one row, or about a sink being unavailable? The answer decides between
 * `recordFailure` (a row-specific problem; enough of them quarantine the row) and failing the
 * activity so Temporal retries it later: a broker or database outage must never quarantine rows.
 * When unsure, it is an outage: a wrongly blamed row is a lost event, a wrongly suspected outage
 * only a delay that shows in the metrics.
 */

/** A sink was unavailable for a whole batch; which one, for metrics and logs. */
export class SinkOutageError extends Error {
  constructor(
    readonly sink: 'reporting' | 'kafka' | 'outbox',
    override readonly cause: unknown,
  ) {
    super(`${sink} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'SinkOutageError';
  }
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  type?: unknown;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

/** The error and what it wraps (kafkajs `cause`, mssql `originalError`), outermost first. */
function* chain(error: unknown): Generator<ErrorLike> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const e = current as ErrorLike;
    yield e;
    current = e.cause ?? e.originalError;
  }
}

/**
 * Does a reporting-projection failure belong to the events themselves? Only when an event breaks
 * the contract (EventContractError, db/reporting/projection.ts) or its data cannot be stored
 * (SQLSTATE class 22 "data exception", e.g. 22021 a byte sequence invalid in UTF8; SQL Server's
 * conversion, overflow and truncation errors). Everything else, whatever its code (25006 a
 * read-only database, 42501 a revoked grant, 42P01 a missing table, a network error), is the
 * database being unavailable or misconfigured: an outage, retried, never a quarantined row.
 */
const DATA_SQLSTATE = /^22/;
const MSSQL_DATA_ERRORS = new Set([241, 242, 245, 2628, 8114, 8115, 8152, 8169]);

export function isProjectionRowError(error: unknown): boolean {
  for (const e of chain(error)) {
    if (e.name === 'EventContractError') return true;
    if (typeof e.code === 'string' && DATA_SQLSTATE.test(e.code)) return true;
    const number = (e as { number?: unknown }).number;
    if (typeof number === 'number' && MSSQL_DATA_ERRORS.has(number)) return true;
  }
  return false;
}

/**
 * Kafka protocol errors the broker returns for the records themselves. Anything else (broker
 * down, retries exhausted, no leader, authorization) is about the cluster.
 */
const RECORD_REJECTIONS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
]);

export function isKafkaRecordRejection(error: unknown): boolean {
  for (const e of chain(error)) {
    if (e.name === 'KafkaJSProtocolError' && typeof e.type === 'string' && RECORD_REJECTIONS.has(e.type)) {
      return true;
    }
  }
  return false;
}

/** `Name: message`, short enough for outbox_messages.last_error and a log line. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}
