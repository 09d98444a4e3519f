/** The Payment aggregate. One payment per reservation (ux_payments_reservation). */
import { Payment, type PaymentSnapshot } from '../../domain/payment/payment';
import type { Row } from '../database';
import * as read from '../row';
import { byDialect, sql } from '../sql';
import { checked, isWellFormedId, paymentSnapshotSchema } from '../validation';
import { forUpdate, lockedRows, Repository } from './repository-base';

const COLUMNS = sql`id, reservation_id, customer_id, amount_minor, currency, method, status, card_brand, card_last4,
  provider_token, transaction_id, failure_reason, created_at, processed_at, refunded_amount_minor, refund_reason,
  refunded_at, version`;

export class PaymentRepository extends Repository {
  async get(id: string): Promise<Payment | null> {
    if (!isWellFormedId(id)) return null;
    const { rows } = await this.db.query(sql`SELECT ${COLUMNS} FROM payments WHERE id = ${id}`);
    return rows[0] ? Payment.fromSnapshot(toSnapshot(rows[0])) : null;
  }

  /** The payment, its row locked until the unit of work ends (lock the ticket first, if both). */
  async getForUpdate(id: string): Promise<Payment | null> {
    if (!isWellFormedId(id)) return null;
    const { rows } = await this.db.query(
      sql`SELECT ${COLUMNS} FROM payments ${lockedRows} WHERE id = ${id} ${forUpdate}`,
    );
    return rows[0] ? Payment.fromSnapshot(toSnapshot(rows[0])) : null;
  }

  async findByReservation(reservationId: string): Promise<Payment | null> {
    if (!isWellFormedId(reservationId)) return null;
    const { rows } = await this.db.query(
      sql`SELECT ${COLUMNS} FROM payments WHERE reservation_id = ${reservationId}`,
    );
    return rows[0] ? Payment.fromSnapshot(toSnapshot(rows[0])) : null;
  }

  /**
   * Inserts a new payment or updates a loaded one (optimistic on version), then its outbox rows.
   * A second payment for the same reservation violates ux_payments_reservation and throws.
   */
  async save(payment: Payment): Promise<void> {
    const session = this.writeSession();
    const change = session.pendingChange(payment);
    if (change.events.length === 0) return;
    const p = checked(paymentSnapshotSchema, payment.toSnapshot(), 'payment');
    if (change.expectedVersion === 0) {
      await this.db.query(sql`
        INSERT INTO payments (id, reservation_id, customer_id, amount_minor, currency, method, status, card_brand,
          card_last4, provider_token, transaction_id, failure_reason, created_at, processed_at, refunded_amount_minor,
          refund_reason, refunded_at, version)
        VALUES (${p.id}, ${p.reservationId}, ${p.customerId}, ${p.amountMinor}, ${p.currency}, ${p.method}, ${p.status},
          ${p.cardBrand}, ${p.cardLast4}, ${p.providerToken}, ${p.transactionId}, ${p.failureReason},
          ${new Date(p.createdAt)}, ${date(p.processedAt)}, ${p.refundedAmountMinor}, ${p.refundReason},
          ${date(p.refundedAt)}, ${p.version})`);
    } else {
      const { rowCount } = await this.db.query(sql`
        UPDATE payments SET status = ${p.status}, transaction_id = ${p.transactionId}, failure_reason = ${p.failureReason},
          processed_at = ${date(p.processedAt)}, refunded_amount_minor = ${p.refundedAmountMinor},
          refund_reason = ${p.refundReason}, refunded_at = ${date(p.refundedAt)}, version = ${p.version},
          updated_at = ${byDialect({ postgres: sql`now()`, mssql: sql`SYSDATETIMEOFFSET()` })}
        WHERE id = ${p.id} AND version = ${change.expectedVersion}`);
      this.assertUpdated(rowCount, 'Payment', p.id, change.expectedVersion);
    }
    session.eventsWritten(payment, change);
  }
}

const date = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));

function toSnapshot(row: Row): PaymentSnapshot {
  return {
    id: read.str(row.id, 'id'),
    reservationId: read.str(row.reservation_id, 'reservation_id'),
    customerId: read.str(row.customer_id, 'customer_id'),
    amountMinor: read.int(row.amount_minor, 'amount_minor'),
    currency: read.str(row.currency, 'currency'),
    method: read.str(row.method, 'method') as PaymentSnapshot['method'],
    status: read.str(row.status, 'status') as PaymentSnapshot['status'],
    cardBrand: read.strOrNull(row.card_brand, 'card_brand') as PaymentSnapshot['cardBrand'],
    cardLast4: read.strOrNull(row.card_last4, 'card_last4'),
    providerToken: read.strOrNull(row.provider_token, 'provider_token'),
    transactionId: read.strOrNull(row.transaction_id, 'transaction_id'),
    failureReason: read.strOrNull(row.failure_reason, 'failure_reason'),
    createdAt: read.iso(row.created_at, 'created_at'),
    processedAt: read.isoOrNull(row.processed_at, 'processed_at'),
    refundedAmountMinor:
      row.refunded_amount_minor === null
        ? null
        : read.int(row.refunded_amount_minor, 'refunded_amount_minor'),
    refundReason: read.strOrNull(row.refund_reason, 'refund_reason'),
    refundedAt: read.isoOrNull(row.refunded_at, 'refunded_at'),
    version: read.int(row.version, 'version'),
  };
}
