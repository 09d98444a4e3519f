/** What every repository shares: a connection (pool or transaction) and, for writes, the session. */
import type { Queryable } from '../database';
import { byDialect, sql } from '../sql';
import { ConcurrencyConflictError } from '../errors';
import type { WriteSession } from '../write-session';

export abstract class Repository {
  constructor(
    protected readonly db: Queryable,
    private readonly session: WriteSession | null,
  ) {}

  /** Writes only happen inside a unit of work, where the outbox rows commit with them. */
  protected writeSession(): WriteSession {
    if (!this.session) throw new Error('saving requires a unit of work (uow.run)');
    return this.session;
  }

  protected assertUpdated(
    rowCount: number,
    aggregateType: string,
    id: string,
    expectedVersion: number,
  ): void {
    if (rowCount !== 1) throw new ConcurrencyConflictError(aggregateType, id, expectedVersion);
  }
}

/**
 * Row locks for a read that decides a write (refund vs admission): `FROM t ${lockedRows} WHERE ...
 * ${forUpdate}` reads the committed row and holds it until the transaction ends, so a competing
 * decision waits and then sees this one's outcome. PostgreSQL: FOR UPDATE; SQL Server: UPDLOCK.
 */
export const lockedRows = byDialect({ postgres: sql``, mssql: sql`WITH (UPDLOCK, ROWLOCK)` });
export const forUpdate = byDialect({ postgres: sql`FOR UPDATE`, mssql: sql`` });
