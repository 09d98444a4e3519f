/**
 * Integration-test support for db/: every test file gets its own freshly created database on the
 * real server (PostgreSQL always; SQL Server too when MSSQL_URL is set), migrated, and dropped in
 * afterAll. Suites are written once and run per dialect with `describeEachDialect`.
 */
import { randomBytes } from 'node:crypto';

import { loadConfig } from '../../../config';
import { openDatabase } from '../../../db/connect';
import type { Database } from '../../../db/database';
import type { Dialect } from '../../../db/dialect';
import { migrate, REPORTING_MIGRATIONS, WRITE_MIGRATIONS, type MigrationSet } from '../../../db/migrate';
import { trustedRaw } from '../../../db/sql';

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

const withDatabase = (serverUrl: string, database: string): string => {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

/** Creates `<prefix>_<random>` on the target's server, optionally migrated. */
export async function createTestDatabase(
  target: DialectTarget,
  options: { prefix?: string; migrations?: MigrationSet | null; poolMax?: number } = {},
): Promise<TestDatabase> {
  const name = `${options.prefix ?? 'cinema_test'}_${randomBytes(6).toString('hex')}`;
  // The name is generated here from [a-z0-9_] only; DDL can't take it as a parameter.
  if (!/^[a-z][a-z0-9_]{1,62}$/.test(name)) throw new Error(`bad test database name ${name}`);
  const admin = openDatabase(
    withDatabase(target.serverUrl, target.dialect === 'postgres' ? 'postgres' : 'master'),
    {
      poolMax: 1,
    },
  );
  try {
    await admin.query(
      trustedRaw(target.dialect === 'postgres' ? `CREATE DATABASE "${name}"` : `CREATE DATABASE [${name}]`),
    );
  } finally {
    await admin.close();
  }
  const url = withDatabase(target.serverUrl, name);
  const db = openDatabase(url, { poolMax: options.poolMax ?? 20 });
  const migrations = options.migrations === undefined ? WRITE_MIGRATIONS : options.migrations;
  if (migrations) await migrate(db, migrations);
  return {
    name,
    url,
    db,
    async drop() {
      await db.close();
      const dropper = openDatabase(
        withDatabase(target.serverUrl, target.dialect === 'postgres' ? 'postgres' : 'master'),
        { poolMax: 1 },
      );
      try {
        await dropper.query(
          trustedRaw(
            target.dialect === 'postgres'
              ? `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`
              : `ALTER DATABASE [${name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [${name}]`,
          ),
        );
      } finally {
        await dropper.close();
      }
    },
  };
}

export { REPORTING_MIGRATIONS, WRITE_MIGRATIONS };
