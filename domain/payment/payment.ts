import { AggregateRoot } from '../shared/aggregate-root';
import type { DomainContext } from '../shared/context';
import { validateId } from '../shared/ids';
import { Money } from '../shared/money';
import { err, ok, type Result } from '../shared/result';
import { CARD_BRANDS, type CardBrand, type CardSummary } from './card-number';
import type { PaymentError } from './errors';
import type { PaymentEvent } from './events';
import { isCardMethod, parsePaymentMethod, type PaymentMethod } from './payment-method';
import { PaymentStatus, awaitsOutcome, refundBegun } from './payment-status';

/** Row shape of a payment. Card data is brand + last 4 only: the number never reaches a row. */
export interface PaymentSnapshot {
  readonly id: string;
  readonly reservationId: string; // unique: one payment per reservation
  readonly customerId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly method: PaymentMethod;
  readonly status: PaymentStatus;
  readonly cardBrand: CardBrand | null;
  readonly cardLast4: string | null;
  readonly providerToken: string | null; // the provider's token for the card, minted at the edge
  readonly transactionId: string | null; // the provider's charge id, once completed
  readonly failureReason: string | null; // why it was declined or failed
  readonly createdAt: string;
  readonly processedAt: string | null; // when the outcome (completed/declined/failed) was recorded
  readonly refundedAmountMinor: number | null;
  readonly refundReason: string | null;
  readonly refundedAt: string | null;
  readonly version: number;
}

export interface CreatePayment {
  readonly id: string;
  readonly reservationId: string;
  readonly customerId: string;
  readonly amount: Money;
  readonly method: unknown; // validated here: comes from the request body
  readonly card?: CardSummary | null;
  readonly providerToken?: string | null;
}

interface PaymentState {
  status: PaymentStatus;
  transactionId: string | null;
  failureReason: string | null;
  processedAt: Date | null;
  refundReason: string | null;
  refundedAt: Date | null;
}

const reasonText = (reason: string) => reason.trim().slice(0, 500);

/** The charge for one reservation. */
export class Payment extends AggregateRoot<PaymentEvent> {
  protected readonly aggregateType = 'Payment' as const;

  private constructor(
    id: string,
    version: number,
    readonly reservationId: string,
    readonly customerId: string,
    readonly amount: Money,
    readonly method: PaymentMethod,
    readonly card: CardSummary | null,
    readonly providerToken: string | null,
    readonly createdAt: Date,
    private state: PaymentState,
  ) {
    super(id, version);
  }

  static create(cmd: CreatePayment, ctx: DomainContext): Result<Payment, PaymentError> {
    const now = ctx.clock.now();
    for (const [value, what] of [
      [cmd.id, 'paymentId'],
      [cmd.reservationId, 'reservationId'],
      [cmd.customerId, 'customerId'],
    ] as const) {
      const id = validateId(value, what);
      if (!id.ok) return id;
    }
    const method = parsePaymentMethod(cmd.method);
    if (!method.ok) return method;
    if (cmd.amount.isZero()) return err('InvalidPaymentAmount', 'a payment must be for a positive amount');
    const card = cmd.card ?? null;
    if (isCardMethod(method.value) && card === null) {
      return err('CardDetailsRequired', `${method.value} needs the card's brand and last 4 digits`);
    }
    if (card !== null && (!CARD_BRANDS.includes(card.brand) || !/^\d{4}$/.test(card.last4))) {
      return err('InvalidCardDetails', 'card details must be a known brand and exactly 4 last digits');
    }

    const payment = new Payment(
      cmd.id,
      0,
      cmd.reservationId,
      cmd.customerId,
      cmd.amount,
      method.value,
      card === null ? null : { brand: card.brand, last4: card.last4 },
      cmd.providerToken ?? null,
      now,
      {
        status: PaymentStatus.Pending,
        transactionId: null,
        failureReason: null,
        processedAt: null,
        refundReason: null,
        refundedAt: null,
      },
    );
    payment.raise(
      'PaymentCreated',
      {
        paymentId: payment.id,
        reservationId: payment.reservationId,
        customerId: payment.customerId,
        amountMinor: payment.amount.amountMinor,
        currency: payment.amount.currency,
        method: payment.method,
        cardBrand: payment.card?.brand ?? null,
        cardLast4: payment.card?.last4 ?? null,
      },
      ctx,
      now,
    );
    return ok(payment);
  }

  static fromSnapshot(s: PaymentSnapshot): Payment {
    const date = (v: string | null) => (v === null ? null : new Date(v));
    return new Payment(
      s.id,
      s.version,
      s.reservationId,
      s.customerId,
      Money.fromSnapshot({ amountMinor: s.amountMinor, currency: s.currency }),
      s.method,
      s.cardBrand !== null && s.cardLast4 !== null ? { brand: s.cardBrand, last4: s.cardLast4 } : null,
      s.providerToken,
      new Date(s.createdAt),
      {
        status: s.status,
        transactionId: s.transactionId,
        failureReason: s.failureReason,
        processedAt: date(s.processedAt),
        refundReason: s.refundReason,
        refundedAt: date(s.refundedAt),
      },
    );
  }

  get status(): PaymentStatus {
    return this.state.status;
  }

  get transactionId(): string | null {
    return this.state.transactionId;
  }

  /** The full amount once refunded (partial refunds are not a business case here). */
  get refundedAmount(): Money | null {
    return this.state.status === PaymentStatus.Refunded ? this.amount : null;
  }

  /** Pending -> Processing, just before calling the provider. Repeating it is a no-op. */
  markProcessing(ctx: DomainContext): Result<void, PaymentError> {
    if (this.state.status === PaymentStatus.Processing) return ok(undefined);
    if (this.state.status !== PaymentStatus.Pending) {
      return err('PaymentNotPending', `a ${this.state.status} payment can't start processing`);
    }
    const now = ctx.clock.now();
    this.state = { ...this.state, status: PaymentStatus.Processing };
    this.raise(
      'PaymentProcessingStarted',
      { paymentId: this.id, reservationId: this.reservationId },
      ctx,
      now,
    );
    return ok(undefined);
  }

  /**
   * Records the provider's successful charge. Completing again with the same transaction id is a
   * retry and a no-op; a different transaction id would be a second charge and is refused.
   */
  complete(transactionId: string, ctx: DomainContext): Result<void, PaymentError> {
    if (typeof transactionId !== 'string' || transactionId.trim() === '') {
      return err('TransactionIdRequired', 'a completed payment needs the provider transaction id');
    }
    if (this.state.status === PaymentStatus.Completed && this.state.transactionId === transactionId) {
      return ok(undefined);
    }
    if (!awaitsOutcome(this.state.status)) {
      return err('PaymentNotPending', `a ${this.state.status} payment can't be completed`);
    }
    const now = ctx.clock.now();
    this.state = { ...this.state, status: PaymentStatus.Completed, transactionId, processedAt: now };
    this.raise(
      'PaymentCompleted',
      {
        paymentId: this.id,
        reservationId: this.reservationId,
        customerId: this.customerId,
        amountMinor: this.amount.amountMinor,
        currency: this.amount.currency,
        method: this.method,
        transactionId,
        processedAt: now.toISOString(),
      },
      ctx,
      now,
    );
    return ok(undefined);
  }

  /** The provider refused the charge (a business outcome: not retried). Idempotent. */
  decline(reason: string, ctx: DomainContext): Result<void, PaymentError> {
    if (this.state.status === PaymentStatus.Declined) return ok(undefined);
    if (!awaitsOutcome(this.state.status)) {
      return err('PaymentNotPending', `a ${this.state.status} payment can't be declined`);
    }
    const now = ctx.clock.now();
    const why = reasonText(reason) || 'Declined';
    this.state = { ...this.state, status: PaymentStatus.Declined, failureReason: why, processedAt: now };
    this.raise(
      'PaymentDeclined',
      { paymentId: this.id, reservationId: this.reservationId, reason: why, declinedAt: now.toISOString() },
      ctx,
      now,
    );
    return ok(undefined);
  }

  /** The charge could not be made for a technical reason, after retries. Idempotent. */
  fail(reason: string, ctx: DomainContext): Result<void, PaymentError> {
    if (this.state.status === PaymentStatus.Failed) return ok(undefined);
    if (!awaitsOutcome(this.state.status)) {
      return err('PaymentNotPending', `a ${this.state.status} payment can't fail`);
    }
    const now = ctx.clock.now();
    const why = reasonText(reason) || 'Failed';
    this.state = { ...this.state, status: PaymentStatus.Failed, failureReason: why, processedAt: now };
    this.raise(
      'PaymentFailed',
      { paymentId: this.id, reservationId: this.reservationId, reason: why, failedAt: now.toISOString() },
      ctx,
      now,
    );
    return ok(undefined);
  }

  /**
   * Completed -> Refunding: the refund is decided, and recorded before the provider is asked, so
   * money never moves back without a row that says so. Repeating it (or after Refunded) is a no-op.
   */
  beginRefund(reason: string, ctx: DomainContext): Result<void, PaymentError> {
    if (refundBegun(this.state.status)) return ok(undefined);
    if (this.state.status !== PaymentStatus.Completed) {
      return err(
        'PaymentNotCompleted',
        `only a completed payment can be refunded (this one is ${this.state.status})`,
      );
    }
    const why = typeof reason === 'string' ? reasonText(reason) : '';
    if (why === '') return err('RefundReasonRequired', 'a refund needs a reason');
    const now = ctx.clock.now();
    this.state = { ...this.state, status: PaymentStatus.Refunding, refundReason: why };
    this.raise(
      'PaymentRefundStarted',
      {
        paymentId: this.id,
        reservationId: this.reservationId,
        customerId: this.customerId,
        amountMinor: this.amount.amountMinor,
        currency: this.amount.currency,
        reason: why,
        startedAt: now.toISOString(),
      },
      ctx,
      now,
    );
    return ok(undefined);
  }

  /**
   * Completed or Refunding -> Refunded for the full amount, once the provider refunded. Refunding
   * again is a no-op (retried compensation); the reason recorded when the refund began stands.
   */
  refund(reason: string, ctx: DomainContext): Result<void, PaymentError> {
    if (this.state.status === PaymentStatus.Refunded) return ok(undefined);
    if (this.state.status !== PaymentStatus.Completed && this.state.status !== PaymentStatus.Refunding) {
      return err(
        'PaymentNotCompleted',
        `only a completed payment can be refunded (this one is ${this.state.status})`,
      );
    }
    const why = this.state.refundReason ?? (typeof reason === 'string' ? reasonText(reason) : '');
    if (why === '') return err('RefundReasonRequired', 'a refund needs a reason');
    const now = ctx.clock.now();
    this.state = { ...this.state, status: PaymentStatus.Refunded, refundReason: why, refundedAt: now };
    this.raise(
      'PaymentRefunded',
      {
        paymentId: this.id,
        reservationId: this.reservationId,
        customerId: this.customerId,
        refundedAmountMinor: this.amount.amountMinor,
        currency: this.amount.currency,
        reason: why,
        refundedAt: now.toISOString(),
      },
      ctx,
      now,
    );
    return ok(undefined);
  }

  toSnapshot(): PaymentSnapshot {
    const iso = (d: Date | null) => (d === null ? null : d.toISOString());
    return {
      id: this.id,
      reservationId: this.reservationId,
      customerId: this.customerId,
      amountMinor: this.amount.amountMinor,
      currency: this.amount.currency,
      method: this.method,
      status: this.state.status,
      cardBrand: this.card?.brand ?? null,
      cardLast4: this.card?.last4 ?? null,
      providerToken: this.providerToken,
      transactionId: this.state.transactionId,
      failureReason: this.state.failureReason,
      createdAt: this.createdAt.toISOString(),
      processedAt: iso(this.state.processedAt),
      refundedAmountMinor: this.state.status === PaymentStatus.Refunded ? this.amount.amountMinor : null,
      refundReason: this.state.refundReason,
      refundedAt: iso(this.state.refundedAt),
      version: this.version,
    };
  }
}
