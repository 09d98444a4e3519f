/** `Database` over node-postgres: a pg.Pool; a transaction holds one pooled client. */
import { Client, Pool, type PoolClient, type QueryResult as PgQueryResult } from 'pg';

import type {
  Database,
  QueryResult,
  Queryable,
  Row,
  Transaction,
  TransactionOptions,
  Unlisten,
} from './database';
import { retryTransient } from './errors';
import { SerialQueue } from './serial';
import { compile, type CompiledQuery, type SqlFragment } from './sql';

export interface PostgresOptions {
  readonly poolMax?: number;
  readonly applicationName?: string;
  /** Planner or session settings for every connection of the pool (sent at connect, no round trip). */
  readonly settings?: Readonly<Record<string, string>>;
}

const SETTING = /^[a-z_][a-z0-9_.]*$/;

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

export class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;

  constructor(
    private readonly url: string,
    options: PostgresOptions = {},
  ) {
    this.pool = new Pool({
      connectionString: url,
      max: options.poolMax ?? 10,
      application_name: options.applicationName ?? 'cinema-booking',
      options: startupOptions(options.settings ?? {}),
    });
    // An idle client that loses its connection emits here; the pool drops it and makes a new one.
    // Without a listener node would treat the event as an uncaught error and exit.
    this.pool.on('error', () => undefined);
  }

  async query<R extends Row = Row>(statement: SqlFragment): Promise<QueryResult<R>> {
    return run<R>(this.pool, compile(statement, 'postgres'));
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return retryTransient(options.retries ?? 0, () => this.transactionOnce(fn, options));
  }

  private async transactionOnce<T>(
    fn: (tx: Transaction) => Promise<T>,
    options: TransactionOptions,
  ): Promise<T> {
    const client = await this.pool.connect();
    const handle = new PostgresTransaction(client);
    let broken: Error | undefined;
    try {
      await client.query(
        options.isolation === 'serializable' ? 'BEGIN ISOLATION LEVEL SERIALIZABLE' : 'BEGIN',
      );
      const result = await fn(handle);
      await handle.finish();
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await handle.finish();
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError; // the connection is unusable: let the pool discard it
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<Unlisten> {
    if (!CHANNEL.test(channel)) throw new Error(`invalid channel name ${JSON.stringify(channel)}`);
    // A dedicated connection: LISTEN is per session and a pooled client would be handed to others.
    const client = new Client({ connectionString: this.url });
    client.on('error', () => undefined); // a dropped listener only means the caller falls back to polling
    client.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    await client.connect();
    await client.query(`LISTEN ${channel}`); // an identifier cannot be a parameter; validated above
    return async () => {
      await client.end().catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

class PostgresTransaction implements Queryable {
  readonly dialect = 'postgres' as const;
  private readonly queue = new SerialQueue();
  private finished = false;

  constructor(private readonly client: PoolClient) {}

  query<R extends Row = Row>(statement: SqlFragment): Promise<QueryResult<R>> {
    if (this.finished) return Promise.reject(new Error('transaction already finished'));
    const compiled = compile(statement, 'postgres');
    return this.queue.run(() => run<R>(this.client, compiled));
  }

  /** Waits for statements still in flight (a caller that forgot an await) before COMMIT/ROLLBACK. */
  async finish(): Promise<void> {
    this.finished = true;
    await this.queue.drain();
  }
}

async function run<R extends Row>(
  target: Pool | PoolClient,
  compiled: CompiledQuery,
): Promise<QueryResult<R>> {
  const values = compiled.params.map((p) => p.value);
  // A parameterless text with several statements (a migration file) yields one result per statement.
  const result = (await target.query<R>(compiled.text, values)) as QueryResultOrMany<R>;
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  if (!last) return { rows: [], rowCount: 0 };
  return { rows: last.rows, rowCount: last.rowCount ?? last.rows.length };
}

type QueryResultOrMany<R extends Row> = PgQueryResult<R> | PgQueryResult<R>[];

/** `-c name=value` pairs for the startup packet; names and values are ours (code), checked anyway. */
function startupOptions(settings: Readonly<Record<string, string>>): string | undefined {
  const pairs = Object.entries(settings).map(([name, value]) => {
    if (!SETTING.test(name) || !SETTING.test(value))
      throw new TypeError(`unsupported setting ${name}=${value}`);
    return `-c ${name}=${value}`;
  });
  return pairs.length ? pairs.join(' ') : undefined;
}
