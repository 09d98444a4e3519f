/**
 * `Database` over the `mssql` package (tedious): a ConnectionPool; a transaction is an
 * mssql.Transaction with a fresh Request per statement, as the driver requires.
 */
import * as mssql from 'mssql';

import type { Database, QueryResult, Queryable, Row, Transaction, TransactionOptions } from './database';
import { retryTransient } from './errors';
import { mssqlConfigFromUrl } from './mssql-url';
import { SerialQueue } from './serial';
import { compile, type CompiledParam, type CompiledQuery, type SqlFragment } from './sql';

export interface MssqlOptions {
  readonly poolMax?: number;
}

export class MssqlDatabase implements Database {
  readonly dialect = 'mssql' as const;
  private readonly pool: mssql.ConnectionPool;
  private connecting: Promise<mssql.ConnectionPool> | undefined;

  constructor(url: string, options: MssqlOptions = {}) {
    this.pool = new mssql.ConnectionPool(mssqlConfigFromUrl(url, options.poolMax ?? 10));
    this.pool.on('error', () => undefined); // pool-level errors surface on the next request instead
  }

  /** Connects lazily once, so constructing a Database stays synchronous for both dialects. */
  private connected(): Promise<mssql.ConnectionPool> {
    this.connecting ??= this.pool.connect();
    return this.connecting;
  }

  async query<R extends Row = Row>(statement: SqlFragment): Promise<QueryResult<R>> {
    const pool = await this.connected();
    return run<R>(pool.request(), compile(statement, 'mssql'));
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return retryTransient(options.retries ?? 0, () => this.transactionOnce(fn, options));
  }

  private async transactionOnce<T>(
    fn: (tx: Transaction) => Promise<T>,
    options: TransactionOptions,
  ): Promise<T> {
    const pool = await this.connected();
    const tx = new mssql.Transaction(pool);
    await tx.begin(
      options.isolation === 'serializable'
        ? mssql.ISOLATION_LEVEL.SERIALIZABLE
        : mssql.ISOLATION_LEVEL.READ_COMMITTED,
    );
    const handle = new MssqlTransaction(tx);
    // XACT_ABORT stays OFF: a unique violation then fails only its statement, so a repository can
    // catch it and answer SeatAlreadyTaken. Any error that escapes `fn` rolls back below anyway.
    try {
      const result = await fn(handle);
      await handle.finish();
      await tx.commit();
      return result;
    } catch (error) {
      await handle.finish();
      // After a deadlock the server already rolled back and mssql reports EABORT: nothing to undo.
      await tx.rollback().catch(() => undefined);
      throw error;
    }
  }

  async listen(): Promise<null> {
    return null; // SQL Server has no LISTEN/NOTIFY; the relay polls.
  }

  async close(): Promise<void> {
    if (this.connecting) await this.connecting.catch(() => undefined);
    await this.pool.close();
  }
}

class MssqlTransaction implements Queryable {
  readonly dialect = 'mssql' as const;
  private readonly queue = new SerialQueue();
  private finished = false;

  constructor(private readonly tx: mssql.Transaction) {}

  query<R extends Row = Row>(statement: SqlFragment): Promise<QueryResult<R>> {
    if (this.finished) return Promise.reject(new Error('transaction already finished'));
    const compiled = compile(statement, 'mssql');
    return this.queue.run(() => run<R>(new mssql.Request(this.tx), compiled));
  }

  async finish(): Promise<void> {
    this.finished = true;
    await this.queue.drain();
  }
}

async function run<R extends Row>(request: mssql.Request, compiled: CompiledQuery): Promise<QueryResult<R>> {
  compiled.params.forEach((param, i) => bind(request, `p${i + 1}`, param));
  const result = await request.query<R>(compiled.text);
  const rows: R[] = result.recordset ? [...result.recordset] : [];
  const rowCount = result.rowsAffected.reduce((sum, n) => sum + n, 0);
  return { rows, rowCount };
}

/** Explicit types, so plans are reused and Date keeps its instant (datetimeoffset, not datetime). */
function bind(request: mssql.Request, name: string, { value, kind }: CompiledParam): void {
  if (kind === 'json') {
    request.input(name, mssql.NVarChar(mssql.MAX), value);
  } else if (value === null) {
    request.input(name, mssql.NVarChar(1), null);
  } else if (typeof value === 'string') {
    request.input(name, mssql.NVarChar(value.length > 4000 ? mssql.MAX : 4000), value);
  } else if (typeof value === 'number') {
    if (!Number.isInteger(value)) request.input(name, mssql.Float, value);
    else if (Math.abs(value) <= 2_147_483_647) request.input(name, mssql.Int, value);
    else request.input(name, mssql.BigInt, value);
  } else if (typeof value === 'boolean') {
    request.input(name, mssql.Bit, value);
  } else {
    request.input(name, mssql.DateTimeOffset(7), value);
  }
}
