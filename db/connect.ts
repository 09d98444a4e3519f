/** Opens the `Database` for a connection URL: postgres:// -> PostgreSQL, mssql:// or sqlserver:// -> SQL Server. */
import type { Database } from './database';
import { dialectOf } from './dialect';
import { MssqlDatabase } from './mssql-database';
import { PostgresDatabase } from './postgres-database';

export interface OpenOptions {
  readonly poolMax?: number;
  /** Session settings for PostgreSQL connections (SQL Server has no such planner switches). */
  readonly postgresSettings?: Readonly<Record<string, string>>;
}

export function openDatabase(url: string, options: OpenOptions = {}): Database {
  return dialectOf(url) === 'postgres'
    ? new PostgresDatabase(url, { poolMax: options.poolMax, settings: options.postgresSettings })
    : new MssqlDatabase(url, options);
}
