import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openDatabase } from '../../../db/connect';
import { migrate, REPORTING_MIGRATIONS, WRITE_MIGRATIONS, type MigrationSet } from '../../../db/migrate';
import { sql } from '../../../db/sql';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './helpers';

const WRITE_TABLES = [
  'auditorium_seats',
  'auditoriums',
  'movies',
  'outbox_messages',
  'payments',
  'reservation_seats',
  'reservations',
  'saga_steps',
  'schema_migrations',
  'showtimes',
  'tickets',
];

const REPORTING_TABLES = [
  'movie_facts',
  'movie_sales',
  'payment_facts',
  'processed_events',
  'reservation_facts',
  'schema_migrations',
  'showtime_facts',
  'showtime_sales',
  'ticket_facts',
];

async function tableNames(t: TestDatabase): Promise<string[]> {
  const { rows } = await t.db.query<{ table_name: string }>(sql`
    SELECT table_name AS table_name FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema = ${t.db.dialect === 'postgres' ? 'public' : 'dbo'}`);
  return rows.map((r) => r.table_name).sort();
}

describe('migration files', () => {
  it.each([
    ['write', WRITE_MIGRATIONS],
    ['reporting', REPORTING_MIGRATIONS],
  ])('%s: PostgreSQL and SQL Server have the same numbered files', (_name, set) => {
    const pg = readdirSync(set.directory('postgres')).sort();
    const mssql = readdirSync(set.directory('mssql')).sort();
    expect(pg.length).toBeGreaterThan(0);
    expect(mssql).toEqual(pg);
  });
});

describeEachDialect((target) => {
  describe('write database', () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(target, { migrations: null });
    });
    afterAll(async () => t?.drop());

    it('applies every migration to an empty database, then nothing on a second run', async () => {
      expect(await tableNames(t)).toEqual([]);
      const first = await migrate(t.db, WRITE_MIGRATIONS);
      const files = readdirSync(WRITE_MIGRATIONS.directory(target.dialect)).map((f) =>
        f.replace(/\.sql$/, ''),
      );
      expect(first.applied).toEqual(files.sort());
      expect(await tableNames(t)).toEqual(WRITE_TABLES);

      const second = await migrate(t.db, WRITE_MIGRATIONS);
      expect(second.applied).toEqual([]);
      expect(second.alreadyApplied).toEqual(first.applied);
      const { rows } = await t.db.query(sql`SELECT COUNT(*) AS n FROM schema_migrations`);
      expect(Number(rows[0]?.n)).toBe(files.length);
    });
  });

  describe('reporting database', () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(target, { prefix: 'db_reporting', migrations: null });
    });
    afterAll(async () => t?.drop());

    it('applies its own migrations, idempotently', async () => {
      const first = await migrate(t.db, REPORTING_MIGRATIONS);
      expect(first.applied.length).toBeGreaterThan(0);
      expect(await tableNames(t)).toEqual(REPORTING_TABLES);
      expect((await migrate(t.db, REPORTING_MIGRATIONS)).applied).toEqual([]);
    });
  });

  describe('concurrent migrators', () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(target, { migrations: null });
    });
    afterAll(async () => t?.drop());

    it('apply each migration exactly once when several processes start together', async () => {
      const others = [openDatabase(t.url, { poolMax: 2 }), openDatabase(t.url, { poolMax: 2 })];
      try {
        const results = await Promise.all([t.db, ...others].map((db) => migrate(db, WRITE_MIGRATIONS)));
        const appliedByAnyone = results.flatMap((r) => r.applied).sort();
        const files = readdirSync(WRITE_MIGRATIONS.directory(target.dialect)).map((f) =>
          f.replace(/\.sql$/, ''),
        );
        expect(appliedByAnyone).toEqual(files.sort()); // each once, none twice
        for (const r of results) expect([...r.applied, ...r.alreadyApplied].sort()).toEqual(files.sort());
      } finally {
        await Promise.all(others.map((db) => db.close()));
      }
    });
  });

  describe('an edited migration', () => {
    let t: TestDatabase;
    let dir: string;
    beforeAll(async () => {
      t = await createTestDatabase(target, { migrations: null });
      dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    });
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      await t?.drop();
    });

    it('is refused instead of silently skipped', async () => {
      const set: MigrationSet = { name: 'scratch', lockKey: 72_310_099, directory: () => dir };
      writeFileSync(join(dir, '001_scratch.sql'), 'CREATE TABLE scratch (id int NOT NULL PRIMARY KEY);\n');
      expect((await migrate(t.db, set)).applied).toEqual(['001_scratch']);
      writeFileSync(join(dir, '001_scratch.sql'), 'CREATE TABLE scratch (id bigint NOT NULL PRIMARY KEY);\n');
      await expect(migrate(t.db, set)).rejects.toThrow(/edited after it was applied/);
    });
  });
});
