/**
 * What the saga needs from a card payment provider. Every money-moving call carries an
 * idempotency key: the provider remembers the outcome per key, so a call repeated after a crash or
 * a timeout returns the first outcome instead of charging (or refunding) twice. The saga uses the
 * payment id as the charge key and `refund-<payment id>` as the refund key; both come from the
 * workflow, so every retry of an activity sends the same key.
 */
import type { MoneySnapshot } from '../../domain/shared/money';

/** Why a provider refused a charge: a business outcome, never retried. */
export type DeclineCode =
  | 'card_declined'
  | 'insufficient_funds'
  | 'invalid_token' // a token this provider never minted
  | 'charge_cancelled'; // the key was cancelled (resolveCharge) before the charge ran

export type ChargeResult =
  | { readonly status: 'succeeded'; readonly transactionId: string }
  | { readonly status: 'declined'; readonly code: DeclineCode; readonly message: string };

export interface RefundResult {
  readonly refundId: string;
  readonly amount: MoneySnapshot;
}

/** What happened to a charge key, as far as the provider knows. */
export type ChargeLookup =
  | { readonly status: 'succeeded'; readonly transactionId: string; readonly amount: MoneySnapshot }
  | { readonly status: 'declined'; readonly code: DeclineCode; readonly message: string }
  | { readonly status: 'cancelled' }; // nothing was charged and nothing ever will be under this key

export interface CallOptions {
  /** Aborts a call in flight (the activity's cancellation signal). */
  readonly signal?: AbortSignal;
}

export interface PaymentProvider {
  /** Charges the tokenized card once per key: the same key returns the first outcome. */
  charge(
    idempotencyKey: string,
    token: string,
    amount: MoneySnapshot,
    options?: CallOptions,
  ): Promise<ChargeResult>;

  /** Refunds (part of) a charge once per key. */
  refund(
    idempotencyKey: string,
    transactionId: string,
    amount: MoneySnapshot,
    options?: CallOptions,
  ): Promise<RefundResult>;

  /**
   * Settles a charge whose outcome the caller lost (it crashed or gave up while the charge ran):
   * returns the charge if it happened; otherwise cancels the key, so that a charge still on its
   * way under that key (a zombie attempt) is declined instead of taking money nobody will refund.
   * Real providers offer the same through "cancel payment intent" or "void authorization".
   */
  resolveCharge(idempotencyKey: string, options?: CallOptions): Promise<ChargeLookup>;
}

/** The provider could not be reached or failed internally: retry later with the same key. */
export class PaymentProviderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaymentProviderUnavailableError';
  }
}

/** The provider refused a request as malformed (unknown transaction, refund above the charge). */
export class PaymentProviderRejectedError extends Error {
  constructor(
    readonly code: 'unknown_transaction' | 'refund_exceeds_charge' | 'amount_mismatch',
    message: string,
  ) {
    super(message);
    this.name = 'PaymentProviderRejectedError';
  }
}

/** The call was aborted through `options.signal` before the provider answered. */
export class PaymentCallAbortedError extends Error {
  constructor() {
    super('payment provider call aborted');
    this.name = 'PaymentCallAbortedError';
  }
}
