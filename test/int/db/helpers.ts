/**
 * Integration-test support for db/: every test file gets its own freshly created database on the
 * real server (PostgreSQL always; SQL Server too when MSSQL_URL is set), migrated, and dropped in
 * afterAll. Suites are written once and run per dialect with `describeEachDialect`.
 */
import { loadConfig } from '../../../config';
import { openDatabase } from '../../../db/connect';
import type { Database } from '../../../db/database';
import type { Dialect } from '../../../db/dialect';
import { migrate, REPORTING_MIGRATIONS, WRITE_MIGRATIONS, type MigrationSet } from '../../../db/migrate';
import { trustedRaw } from '../../../db/sql';
import { createTestDatabase as createPostgresTestDatabase } from '../../support/postgres';
import { uniqueName } from '../../support/unique';

export interface DialectTarget {
  readonly dialect: Dialect;
  readonly label: string;
  readonly serverUrl: string; // any database on the server; tests create their own next to it
}

export function availableDialects(): { targets: DialectTarget[]; missing: string[] } {
  const config = loadConfig();
  const targets: DialectTarget[] = [
    { dialect: 'postgres', label: 'PostgreSQL dialect', serverUrl: config.WRITE_DB_URL },
  ];
  const missing: string[] = [];
  if (config.MSSQL_URL)
    targets.push({ dialect: 'mssql', label: 'SQL Server dialect', serverUrl: config.MSSQL_URL });
  else missing.push('SQL Server dialect (set MSSQL_URL to run)');
  return { targets, missing };
}

/** Runs `suite` once per reachable dialect; an unreachable one shows up as a skipped describe. */
export function describeEachDialect(suite: (target: DialectTarget) => void): void {
  const { targets, missing } = availableDialects();
  for (const target of targets) describe(target.label, () => suite(target));
  for (const title of missing) {
    describe.skip(title, () => {
      it('runs this suite against SQL Server', () => undefined);
    });
  }
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  readonly db: Database;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/**
 * A fresh database next to the target's, optionally migrated: on PostgreSQL through the shared
 * test/support helper, on SQL Server the same way by hand (test/support is PostgreSQL only).
 */
export async function createTestDatabase(
  target: DialectTarget,
  options: { prefix?: string; migrations?: MigrationSet | null; poolMax?: number } = {},
): Promise<TestDatabase> {
  const prefix = options.prefix ?? 'db';
  const created =
    target.dialect === 'postgres'
      ? await createPostgresTestDatabase(prefix)
      : await createMssqlTestDatabase(target, prefix);
  const db = openDatabase(created.url, { poolMax: options.poolMax ?? 20 });
  const migrations = options.migrations === undefined ? WRITE_MIGRATIONS : options.migrations;
  try {
    if (migrations) await migrate(db, migrations);
  } catch (error) {
    await db.close();
    await created.drop();
    throw error;
  }
  return {
    name: created.name,
    url: created.url,
    db,
    async drop() {
      await db.close();
      await created.drop();
    },
  };
}

const withDatabase = (serverUrl: string, database: string): string => {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

async function createMssqlTestDatabase(
  target: DialectTarget,
  prefix: string,
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = uniqueName(`it_${prefix}`, 100);
  // DDL can't take the name as a parameter; uniqueName only produces [a-z0-9_].
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad test database name ${name}`);
  const onMaster = async (statement: string) => {
    const master = openDatabase(withDatabase(target.serverUrl, 'master'), { poolMax: 1 });
    try {
      await master.query(trustedRaw(statement));
    } finally {
      await master.close();
    }
  };
  await onMaster(`CREATE DATABASE [${name}]`);
  return {
    name,
    url: withDatabase(target.serverUrl, name),
    drop: () =>
      onMaster(`ALTER DATABASE [${name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [${name}]`),
  };
}

export { REPORTING_MIGRATIONS, WRITE_MIGRATIONS };
