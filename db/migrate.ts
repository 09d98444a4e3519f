/**
 * Forward-only SQL migrations, one folder per dialect with the same numbering
 * (`001_outbox.sql` in both `postgres/` and `mssql/`). Applied versions and their checksums are
 * recorded in `schema_migrations`; each migration runs in its own transaction that first takes a
 * database-wide lock (pg_advisory_xact_lock / sp_getapplock), so two processes migrating at once
 * apply each file exactly once. SQL Server files are split into batches on `GO` lines.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Database, Queryable } from './database';
import type { Dialect } from './dialect';
import { byDialect, sql, trustedRaw } from './sql';
import { lockForTransaction } from './transaction-lock';

export interface Migration {
  readonly version: string; // file name without .sql, e.g. "001_outbox"
  readonly checksum: string; // sha256 of the file with normalized line endings
  readonly batches: readonly string[];
}

/** A named set of migrations (the write DB and the reporting DB each have one). */
export interface MigrationSet {
  readonly name: string;
  readonly lockKey: number; // distinct per set; pg advisory key and part of the applock name
  directory(dialect: Dialect): string;
}

export const WRITE_MIGRATIONS: MigrationSet = {
  name: 'write',
  lockKey: 72_310_001,
  directory: (dialect) => join(__dirname, 'migrations', dialect),
};

export const REPORTING_MIGRATIONS: MigrationSet = {
  name: 'reporting',
  lockKey: 72_310_002,
  directory: (dialect) => join(__dirname, 'reporting', 'migrations', dialect),
};

const FILE_NAME = /^(\d{3})_[a-z0-9_]+\.sql$/;

export function loadMigrations(directory: string, dialect: Dialect): Migration[] {
  const files = readdirSync(directory)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const seen = new Set<string>();
  return files.map((file) => {
    const number = FILE_NAME.exec(file)?.[1];
    if (number === undefined) throw new Error(`migration ${file}: expected NNN_snake_case.sql`);
    if (seen.has(number)) throw new Error(`migration number ${number} used twice in ${directory}`);
    seen.add(number);
    const text = readFileSync(join(directory, file), 'utf8').replace(/\r\n/g, '\n');
    return {
      version: file.slice(0, -'.sql'.length),
      checksum: createHash('sha256').update(text).digest('hex'),
      batches: splitBatches(text, dialect),
    };
  });
}

/** PostgreSQL runs a whole file as one multi-statement query; T-SQL needs `GO`-separated batches. */
export function splitBatches(text: string, dialect: Dialect): string[] {
  const batches = dialect === 'mssql' ? text.split(/^\s*GO\s*;?\s*$/im) : [text];
  return batches.filter((b) => b.replace(/--.*$/gm, '').trim().length > 0);
}

export interface MigrateResult {
  readonly applied: string[];
  readonly alreadyApplied: string[];
}

export async function migrate(db: Database, set: MigrationSet): Promise<MigrateResult> {
  const migrations = loadMigrations(set.directory(db.dialect), db.dialect);
  const applied: string[] = [];
  const alreadyApplied: string[] = [];
  for (const migration of migrations) {
    const didApply = await db.transaction(async (tx) => {
      await lock(tx, set);
      await ensureMigrationsTable(tx);
      const existing = await tx.query<{ checksum: string }>(
        sql`SELECT checksum FROM schema_migrations WHERE version = ${migration.version}`,
      );
      const recorded = existing.rows[0];
      if (recorded) {
        if (recorded.checksum.trim() !== migration.checksum) {
          throw new Error(`migration ${set.name}/${migration.version} was edited after it was applied`);
        }
        return false;
      }
      for (const batch of migration.batches) await tx.query(trustedRaw(batch));
      await tx.query(
        sql`INSERT INTO schema_migrations (version, checksum) VALUES (${migration.version}, ${migration.checksum})`,
      );
      return true;
    });
    (didApply ? applied : alreadyApplied).push(migration.version);
  }
  return { applied, alreadyApplied };
}

/** Serializes migrators of this set until the transaction ends. */
const lock = (tx: Queryable, set: MigrationSet): Promise<void> =>
  lockForTransaction(tx, { key: set.lockKey, resource: `schema_migrations:${set.name}`, timeoutMs: 120_000 });

async function ensureMigrationsTable(tx: Queryable): Promise<void> {
  await tx.query(
    sql`${byDialect({
      postgres: sql`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    varchar(200) NOT NULL PRIMARY KEY,
        checksum   char(64)     NOT NULL,
        applied_at timestamptz  NOT NULL DEFAULT now())`,
      mssql: sql`IF OBJECT_ID(N'dbo.schema_migrations', N'U') IS NULL
        CREATE TABLE dbo.schema_migrations (
          version    nvarchar(200)     NOT NULL CONSTRAINT pk_schema_migrations PRIMARY KEY,
          checksum   char(64)          NOT NULL,
          applied_at datetimeoffset(3) NOT NULL CONSTRAINT df_schema_migrations_applied_at DEFAULT SYSDATETIMEOFFSET())`,
    })}`,
  );
}
