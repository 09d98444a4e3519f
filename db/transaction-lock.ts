/**
 * An exclusive lock held until the current transaction ends, by name, on either dialect:
 * `pg_advisory_xact_lock(key)` on PostgreSQL, `sp_getapplock` on `resource` on SQL Server.
 * Never held across transactions; waiting callers queue.
 */
import type { Queryable } from './database';
import { sql } from './sql';

export interface TransactionLock {
  /** PostgreSQL advisory lock key (distinct per lock). */
  readonly key: number;
  /** SQL Server applock resource name. */
  readonly resource: string;
  /** How long SQL Server waits for it before failing. */
  readonly timeoutMs: number;
}

export async function lockForTransaction(tx: Queryable, lock: TransactionLock): Promise<void> {
  if (tx.dialect === 'postgres') {
    await tx.query(sql`SELECT pg_advisory_xact_lock(${lock.key})`);
    return;
  }
  const result = await tx.query<{ status: number }>(sql`
    DECLARE @status int;
    EXEC @status = sp_getapplock @Resource = ${lock.resource}, @LockMode = 'Exclusive',
      @LockOwner = 'Transaction', @LockTimeout = ${lock.timeoutMs};
    SELECT @status AS status;`);
  const status = result.rows[0]?.status ?? -999;
  if (status < 0) throw new Error(`sp_getapplock ${lock.resource} failed with ${status}`);
}
