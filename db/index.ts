/**
 * The write side's persistence API. Everything outside db/ imports from here.
 *
 *   const db = openDatabase(config.WRITE_DB_URL, { poolMax: config.DB_POOL_MAX });
 *   await migrate(db, WRITE_MIGRATIONS);
 *   const uow = new UnitOfWork(db);
 *   await uow.run(async (tx) => runOnce(tx.db, sagaId, 'ReserveSeats', async () => { ... }), { correlationId: sagaId, requestId });
 */
export { openDatabase, type OpenOptions } from './connect';
export type {
  Database,
  QueryResult,
  Queryable,
  Row,
  Transaction,
  TransactionOptions,
  Unlisten,
} from './database';
export { dialectOf, type Dialect } from './dialect';
export { ConcurrencyConflictError, isTransientTransactionError, isUniqueViolation } from './errors';
export {
  migrate,
  REPORTING_MIGRATIONS,
  WRITE_MIGRATIONS,
  type MigrateResult,
  type MigrationSet,
} from './migrate';
export { byDialect, join, json, sql, type SqlFragment, type SqlValue } from './sql';

export {
  readRepositories,
  UnitOfWork,
  type Repositories,
  type RunOptions,
  type UnitOfWorkContext,
} from './unit-of-work';
export { ShowtimeRepository, type ShowtimeDetails } from './repositories/showtime-repository';
export { LIVE_SEAT_INDEX, ReservationRepository } from './repositories/reservation-repository';
export { PaymentRepository } from './repositories/payment-repository';
export { isTicketNumberTaken, TicketRepository } from './repositories/ticket-repository';
export { findStepResult, runOnce } from './run-once';

export { appendToOutbox } from './outbox/outbox-writer';
export {
  CLAIM_SESSION_SETTINGS,
  claimStatement,
  OutboxStore,
  type Backlog,
  type ClaimOptions,
  type FailureOutcome,
  type OutboxMessage,
} from './outbox/outbox-store';
export { OUTBOX_CHANNEL, OutboxWakeups, type ArmedWait, type ShardScope } from './outbox/outbox-wakeups';
export { SHARD_SPACE, shardKeyOf } from './outbox/shard';

export {
  getMovieSales,
  getShowtimeSales,
  projectEvents,
  type MovieSales,
  type ProjectionResult,
  type ShowtimeSales,
} from './reporting/projection';
export { seedDemoData, type SeedReport } from './seed/seed';
