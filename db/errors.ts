/**
 * Recognizes the few database errors the write side turns into behaviour, for both dialects.
 * PostgreSQL reports SQLSTATE codes (`err.code`); SQL Server reports error numbers (`err.number`).
 */

/** An UPDATE guarded by `version = expected` matched nothing: someone else saved first. */
export class ConcurrencyConflictError extends Error {
  constructor(
    readonly aggregateType: string,
    readonly aggregateId: string,
    readonly expectedVersion: number,
  ) {
    super(`${aggregateType} ${aggregateId} was modified concurrently (expected version ${expectedVersion})`);
    this.name = 'ConcurrencyConflictError';
  }
}

interface DriverError {
  code?: unknown; // pg SQLSTATE
  constraint?: unknown; // pg: the violated constraint or index
  number?: unknown; // mssql error number
  message?: unknown;
  precedingErrors?: unknown;
}

const asDriverError = (e: unknown): DriverError =>
  typeof e === 'object' && e !== null ? (e as DriverError) : {};

/** mssql puts the first server error on the RequestError and earlier ones in precedingErrors. */
function mssqlNumbers(e: DriverError): number[] {
  const preceding = Array.isArray(e.precedingErrors) ? e.precedingErrors.map(asDriverError) : [];
  return [e, ...preceding].map((x) => x.number).filter((n): n is number => typeof n === 'number');
}

/**
 * True for a unique violation (pg 23505; mssql 2601 unique index, 2627 unique constraint),
 * optionally only for the named index/constraint.
 */
export function isUniqueViolation(error: unknown, indexName?: string): boolean {
  const e = asDriverError(error);
  const pg = e.code === '23505';
  const mssql = mssqlNumbers(e).some((n) => n === 2601 || n === 2627);
  if (!pg && !mssql) return false;
  if (indexName === undefined) return true;
  if (pg) return e.constraint === indexName;
  // SQL Server names the index only in the message: "... with unique index 'ux_name'".
  return typeof e.message === 'string' && e.message.includes(`'${indexName}'`);
}

/** A deadlock victim or serialization failure: the transaction was rolled back and may be re-run. */
export function isTransientTransactionError(error: unknown): boolean {
  const e = asDriverError(error);
  if (e.code === '40P01' || e.code === '40001') return true;
  return mssqlNumbers(e).some((n) => n === 1205 || n === 3960);
}

/**
 * Runs one transaction attempt, and again (up to `retries` more times) while it fails with a
 * deadlock or serialization failure: both dialects' `transaction()` share this loop.
 */
export async function retryTransient<T>(retries: number, attempt: () => Promise<T>): Promise<T> {
  for (let tried = 0; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (tried >= retries || !isTransientTransactionError(error)) throw error;
    }
  }
}
