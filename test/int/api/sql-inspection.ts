/**
 * SQL-level views of a test database, read without the repositories: row counts of every table
 * (to prove a refused request changed nothing) and every row of every table as text (to search
 * for data that must never be stored, such as a card number).
 */
import type { Database } from '../../../db/database';
import { sql, trustedRaw } from '../../../db/sql';

async function tableNames(db: Database): Promise<string[]> {
  const { rows } = await db.query(sql`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
    ORDER BY table_name`);
  return rows.map((r) => String(r.table_name));
}

/** The name is read from the catalogue, never from input; quoting guards odd names anyway. */
const quoted = (table: string) => `"${table.replace(/"/g, '""')}"`;

export async function rowCounts(db: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await tableNames(db)) {
    const { rows } = await db.query(trustedRaw(`SELECT count(*)::int AS n FROM ${quoted(table)}`));
    counts[table] = Number(rows[0]?.n);
  }
  return counts;
}

/** Every row of every table as JSON text (all columns, whatever their type). */
export async function dumpAllRows(db: Database): Promise<string> {
  const parts: string[] = [];
  for (const table of await tableNames(db)) {
    const { rows } = await db.query(trustedRaw(`SELECT row_to_json(t)::text AS row FROM ${quoted(table)} t`));
    for (const row of rows) parts.push(`${table}: ${String(row.row)}`);
  }
  return parts.join('\n');
}

export async function count(db: Database, statement: string): Promise<number> {
  const { rows } = await db.query(trustedRaw(statement));
  return Number(rows[0]?.n);
}
