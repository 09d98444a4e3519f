/**
 * Idempotent saga steps. An activity retried after its transaction committed (the worker died
 * before reporting completion) must not reserve, charge or issue twice:
 *
 *   await uow.run((tx) => runOnce(tx.db, sagaId, 'ReserveSeats', async () => { ...; return ok(result) }));
 *
 * The first attempt inserts a marker row for (saga id, step) before doing the work and stores the
 * work's result in the same transaction as the business rows. A later attempt finds the stored
 * result and returns it without calling `work`. A concurrent attempt blocks on the marker row
 * until the first transaction ends, then sees its result (or, if it rolled back, does the work).
 * Results must be JSON-serializable; they come back as their JSON form.
 */
import { z } from 'zod';

import type { Queryable } from './database';
import * as read from './row';
import { byDialect, json, sql } from './sql';

const sagaIdSchema = z.string().min(1).max(200);
const stepSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/, 'step names are identifiers');

/** Stored as { value } so a scalar or undefined result is still a JSON object. */
interface StoredResult {
  readonly value?: unknown;
}

export async function runOnce<T>(
  tx: Queryable,
  sagaId: string,
  step: string,
  work: () => Promise<T>,
): Promise<T> {
  sagaIdSchema.parse(sagaId);
  stepSchema.parse(step);
  const claimed = await tx.query(
    sql`${byDialect({
      postgres: sql`
        INSERT INTO saga_steps (saga_id, step) VALUES (${sagaId}, ${step})
        ON CONFLICT (saga_id, step) DO NOTHING`,
      // UPDLOCK+HOLDLOCK: a concurrent attempt waits on the key range instead of inserting too.
      mssql: sql`
        INSERT INTO dbo.saga_steps (saga_id, step)
        SELECT ${sagaId}, ${step}
        WHERE NOT EXISTS (SELECT 1 FROM dbo.saga_steps WITH (UPDLOCK, HOLDLOCK)
                          WHERE saga_id = ${sagaId} AND step = ${step})`,
    })}`,
  );
  if (claimed.rowCount === 0) {
    const stored = await findStepResult(tx, sagaId, step);
    if (!stored.found) throw new Error(`saga step ${sagaId}/${step} is marked but has no result`);
    return stored.value as T;
  }
  const value = await work();
  const stored: StoredResult = { value };
  await tx.query(sql`
    UPDATE saga_steps SET result = ${json(stored)},
      completed_at = ${byDialect({ postgres: sql`now()`, mssql: sql`SYSDATETIMEOFFSET()` })}
    WHERE saga_id = ${sagaId} AND step = ${step}`);
  return JSON.parse(JSON.stringify(stored)).value as T;
}

/** The committed result of a step, if any (for status pages and tests). */
export async function findStepResult(
  db: Queryable,
  sagaId: string,
  step: string,
): Promise<{ found: true; value: unknown } | { found: false }> {
  const result = await db.query(
    sql`SELECT result FROM saga_steps WHERE saga_id = ${sagaId} AND step = ${step}`,
  );
  const row = result.rows[0];
  if (!row || row.result === null) return { found: false };
  return { found: true, value: (read.jsonValue(row.result, 'result') as StoredResult).value };
}
