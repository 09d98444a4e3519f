/**
 * The simulated provider's own memory of charges, keyed by charge idempotency key: what a real
 * provider keeps on its side. It must outlive the worker process, or a charge retried after a
 * SIGKILL would be taken twice, so the default ledger is a table in the database the simulator is
 * given (its own table, written in its own transactions, never in the saga's: a real provider
 * commits independently of us). The in-memory ledger is for unit tests and throwaway runs.
 */
import type { Database, Row } from '../../db/database';
import * as read from '../../db/row';
import { json, sql } from '../../db/sql';
import type { CardBehaviour } from './test-cards';
import type { DeclineCode } from './payment-provider';

export interface LedgerEntry {
  readonly key: string;
  readonly behaviour: CardBehaviour | null; // null: cancelled before any charge attempt
  readonly amountMinor: number;
  readonly currency: string;
  readonly attempts: number; // charge calls that reached the provider
  readonly status: 'pending' | 'succeeded' | 'declined' | 'cancelled';
  readonly transactionId: string | null;
  readonly declineCode: DeclineCode | null;
  readonly declineMessage: string | null;
  readonly refunds: Readonly<Record<string, { refundId: string; amountMinor: number }>>;
}

/** `change` sees the current entry (null if none) and returns the entry to store plus a result. */
export type LedgerChange<T> = (entry: LedgerEntry | null) => { entry: LedgerEntry | null; result: T };

export interface ChargeLedger {
  /** Atomic read-modify-write of one key (concurrent callers of the same key take turns). */
  update<T>(key: string, change: LedgerChange<T>): Promise<T>;
  keyOfTransaction(transactionId: string): Promise<string | null>;
}

export class InMemoryLedger implements ChargeLedger {
  private readonly entries = new Map<string, LedgerEntry>();

  async update<T>(key: string, change: LedgerChange<T>): Promise<T> {
    const { entry, result } = change(this.entries.get(key) ?? null);
    if (entry) this.entries.set(key, entry);
    return result;
  }

  async keyOfTransaction(transactionId: string): Promise<string | null> {
    for (const entry of this.entries.values()) if (entry.transactionId === transactionId) return entry.key;
    return null;
  }
}

const TABLE_LOCK_KEY = 72_310_900;

/**
 * The ledger in a PostgreSQL table the simulator creates for itself (`payment_sim_ledger`). It is
 * not part of the application schema: production talks to a real provider instead.
 */
export class SqlLedger implements ChargeLedger {
  private ready: Promise<void> | null = null;

  constructor(private readonly db: Database) {
    if (db.dialect !== 'postgres') {
      throw new Error(
        'the SQL ledger of the payment simulator runs on PostgreSQL; use PAYMENT_SIM_LEDGER=memory',
      );
    }
  }

  async update<T>(key: string, change: LedgerChange<T>): Promise<T> {
    await this.ensureTable();
    return this.db.transaction(async (tx) => {
      await tx.query(sql`INSERT INTO payment_sim_ledger (charge_key) VALUES (${key}) ON CONFLICT DO NOTHING`);
      const { rows } = await tx.query(
        sql`SELECT entry FROM payment_sim_ledger WHERE charge_key = ${key} FOR UPDATE`,
      );
      const { entry, result } = change(toEntry(rows[0]));
      if (entry) {
        await tx.query(sql`
          UPDATE payment_sim_ledger SET entry = ${json(entry)}, transaction_id = ${entry.transactionId},
            updated_at = now()
          WHERE charge_key = ${key}`);
      }
      return result;
    });
  }

  async keyOfTransaction(transactionId: string): Promise<string | null> {
    await this.ensureTable();
    const { rows } = await this.db.query(
      sql`SELECT charge_key FROM payment_sim_ledger WHERE transaction_id = ${transactionId}`,
    );
    return rows[0] ? read.str(rows[0].charge_key, 'charge_key') : null;
  }

  private ensureTable(): Promise<void> {
    this.ready ??= this.db
      .transaction(async (tx) => {
        // Two processes starting at once would race on CREATE TABLE IF NOT EXISTS.
        await tx.query(sql`SELECT pg_advisory_xact_lock(${TABLE_LOCK_KEY})`);
        await tx.query(sql`
          CREATE TABLE IF NOT EXISTS payment_sim_ledger (
            charge_key     varchar(200) NOT NULL PRIMARY KEY,
            transaction_id varchar(100) NULL UNIQUE,
            entry          jsonb        NULL,
            created_at     timestamptz  NOT NULL DEFAULT now(),
            updated_at     timestamptz  NOT NULL DEFAULT now()
          )`);
      })
      .catch((error: unknown) => {
        this.ready = null;
        throw error;
      });
    return this.ready;
  }
}

function toEntry(row: Row | undefined): LedgerEntry | null {
  if (!row || row.entry === null || row.entry === undefined) return null;
  return read.jsonValue(row.entry, 'entry') as LedgerEntry;
}
