/**
 * The one interface repositories, the outbox and migrations talk to. Implementations:
 * `PostgresDatabase` (pg.Pool) and `MssqlDatabase` (mssql ConnectionPool), picked by `openDatabase`.
 */
import type { Dialect } from './dialect';
import type { SqlFragment } from './sql';

export type Row = Record<string, unknown>;

export interface QueryResult<R extends Row = Row> {
  readonly rows: R[];
  /** Rows inserted/updated/deleted (or returned, for a SELECT). */
  readonly rowCount: number;
}

/** Anything that runs a statement: the pool itself or an open transaction. */
export interface Queryable {
  readonly dialect: Dialect;
  query<R extends Row = Row>(statement: SqlFragment): Promise<QueryResult<R>>;
}

/** A transaction handle; statements on it run one at a time, in call order, on one connection. */
export type Transaction = Queryable;

export interface TransactionOptions {
  /** Default 'read committed' (READPAST and SKIP LOCKED are designed for it). */
  readonly isolation?: 'read committed' | 'serializable';
  /**
   * How many times to re-run `fn` after a deadlock or serialization failure (the database rolled
   * the whole transaction back, so re-running is safe as long as `fn` only touches the database).
   */
  readonly retries?: number;
}

export type Unlisten = () => Promise<void>;

export interface Database extends Queryable {
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Subscribes to a notification channel on a dedicated connection (PostgreSQL LISTEN). Returns
   * null where the dialect has no such thing (SQL Server): callers fall back to polling.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<Unlisten | null>;
  close(): Promise<void>;
}
