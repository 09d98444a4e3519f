/**
 * Is a failure about one row, or about a sink being unavailable? The answer decides between
 * `recordFailure` (a row-specific problem; enough of them quarantine the row) and failing the
 * activity so Temporal retries it later: a broker or database outage must never quarantine rows.
 */

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

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ESOCKET', // mssql
  'ETIMEOUT', // mssql
  'ECONNCLOSED', // mssql
]);

/**
 * SQLSTATE classes of a database that is unavailable or overloaded rather than rejecting the data:
 * 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown), 40
 * rollback (deadlock, serialization), 58 system error.
 */
const TRANSIENT_SQLSTATE = /^(08|53|57|40|58)/;

const TRANSIENT_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|connection (is )?closed|client has encountered a connection error/i;

/** A database failure that says nothing about the rows: retry the whole activity later. */
export function isTransientDatabaseError(error: unknown): boolean {
  for (const e of chain(error)) {
    if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || TRANSIENT_SQLSTATE.test(e.code))) {
      return true;
    }
    if (e.name === 'ConnectionError') return true; // mssql
    if (typeof e.message === 'string' && TRANSIENT_MESSAGES.test(e.message)) return true;
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
