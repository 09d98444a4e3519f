/**
 * A payment provider simulator with deterministic test cards (see test-cards.ts) and the
 * idempotency a real provider gives: one charge per key, one refund per key, outcomes remembered
 * in a ledger that survives our process (ledger.ts).
 *
 * Residual window, stated honestly: the charge is recorded in the ledger and the saga records it
 * in the payments table in a later, separate transaction. A worker killed between the two leaves
 * the payment `Processing`; the retried activity charges again under the same key and gets the
 * remembered transaction back (no second charge), and if the saga gives up instead, RefundPayment
 * calls `resolveCharge`, which finds the charge (then refunds it) or cancels the key so a zombie
 * attempt cannot charge later. What remains is outside the simulation: a real provider forgets
 * idempotency keys after a retention period (e.g. 24 h), so a payment retried after that long
 * could be charged twice; the saga's retry policies end long before.
 */
import { randomUUID } from 'node:crypto';

import type { MoneySnapshot } from '../../domain/shared/money';
import type { ChargeLedger, LedgerEntry } from './ledger';
import {
  PaymentCallAbortedError,
  PaymentProviderRejectedError,
  PaymentProviderUnavailableError,
  type CallOptions,
  type ChargeLookup,
  type ChargeResult,
  type DeclineCode,
  type PaymentProvider,
  type RefundResult,
} from './payment-provider';
import { behaviourOf } from './test-cards';

export interface SimulatorSettings {
  /** Added to every charge before the outcome is decided (the network round trip). */
  readonly latencyMs: number;
  /** How many charge attempts of a `transient` card fail per key before one succeeds. */
  readonly transientFailures: number;
  /** How long a `hang` card hangs when nobody aborts the call; 0 means until aborted. */
  readonly hangMs: number;
}

const DECLINES: Record<DeclineCode, string> = {
  card_declined: 'Payment declined - card declined',
  insufficient_funds: 'Payment declined - insufficient funds',
  invalid_token: 'Payment declined - unknown card token',
  charge_cancelled: 'Payment declined - charge cancelled',
};

/** Stops a `hang` call that nobody aborts from keeping a process alive forever. */
const HANG_CAP_MS = 3_600_000;

export class SimulatedPaymentProvider implements PaymentProvider {
  constructor(
    private readonly ledger: ChargeLedger,
    private readonly settings: SimulatorSettings,
  ) {}

  async charge(
    idempotencyKey: string,
    token: string,
    amount: MoneySnapshot,
    options: CallOptions = {},
  ): Promise<ChargeResult> {
    // The round trip comes first: a caller killed here has charged nothing.
    await pause(this.settings.latencyMs, options.signal);
    const behaviour = behaviourOf(token);
    if (behaviour === 'hang') {
      await pause(this.settings.hangMs > 0 ? this.settings.hangMs : HANG_CAP_MS, options.signal);
      throw new PaymentProviderUnavailableError('payment provider timed out');
    }
    const outcome = await this.ledger.update<ChargeResult | Error>(idempotencyKey, (current) => {
      const entry = current ?? newEntry(idempotencyKey, behaviour, amount);
      if (entry.status === 'cancelled') return { entry: null, result: chargeResultOf(entry) };
      if (entry.amountMinor !== amount.amountMinor || entry.currency !== amount.currency) {
        const error = new PaymentProviderRejectedError(
          'amount_mismatch',
          'idempotency key reused for another amount',
        );
        return { entry: null, result: error };
      }
      if (entry.status !== 'pending') return { entry: null, result: chargeResultOf(entry) };
      const attempts = entry.attempts + 1;
      if (behaviour === 'transient' && attempts <= this.settings.transientFailures) {
        const error = new PaymentProviderUnavailableError(
          `payment provider unavailable (attempt ${attempts})`,
        );
        return { entry: { ...entry, attempts }, result: error };
      }
      const decided = decide(entry, behaviour, attempts);
      return { entry: decided, result: chargeResultOf(decided) };
    });
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  async refund(
    idempotencyKey: string,
    transactionId: string,
    amount: MoneySnapshot,
    options: CallOptions = {},
  ): Promise<RefundResult> {
    await pause(this.settings.latencyMs, options.signal);
    const chargeKey = await this.ledger.keyOfTransaction(transactionId);
    if (chargeKey === null) {
      throw new PaymentProviderRejectedError('unknown_transaction', `no charge ${transactionId}`);
    }
    const outcome = await this.ledger.update<RefundResult | Error>(chargeKey, (entry) => {
      if (!entry || entry.status !== 'succeeded') {
        return {
          entry: null,
          result: new PaymentProviderRejectedError('unknown_transaction', 'not charged'),
        };
      }
      const existing = entry.refunds[idempotencyKey];
      if (existing) return { entry: null, result: refundOf(existing, entry.currency) };
      const refunded = Object.values(entry.refunds).reduce((sum, r) => sum + r.amountMinor, 0);
      if (amount.currency !== entry.currency || refunded + amount.amountMinor > entry.amountMinor) {
        const error = new PaymentProviderRejectedError('refund_exceeds_charge', 'refund exceeds the charge');
        return { entry: null, result: error };
      }
      const refund = { refundId: `RFD-${randomUUID()}`, amountMinor: amount.amountMinor };
      const next = { ...entry, refunds: { ...entry.refunds, [idempotencyKey]: refund } };
      return { entry: next, result: refundOf(refund, entry.currency) };
    });
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  async resolveCharge(idempotencyKey: string, options: CallOptions = {}): Promise<ChargeLookup> {
    await pause(this.settings.latencyMs, options.signal);
    return this.ledger.update<ChargeLookup>(idempotencyKey, (current) => {
      if (current && current.status === 'succeeded' && current.transactionId) {
        const amount = { amountMinor: current.amountMinor, currency: current.currency };
        return { entry: null, result: { status: 'succeeded', transactionId: current.transactionId, amount } };
      }
      if (current && current.status === 'declined') {
        const code = current.declineCode ?? 'card_declined';
        return { entry: null, result: { status: 'declined', code, message: DECLINES[code] } };
      }
      const cancelled: LedgerEntry = {
        ...(current ?? newEntry(idempotencyKey, null, { amountMinor: 0, currency: 'XXX' })),
        status: 'cancelled',
      };
      return { entry: cancelled, result: { status: 'cancelled' } };
    });
  }
}

function newEntry(key: string, behaviour: LedgerEntry['behaviour'], amount: MoneySnapshot): LedgerEntry {
  return {
    key,
    behaviour,
    amountMinor: amount.amountMinor,
    currency: amount.currency,
    attempts: 0,
    status: 'pending',
    transactionId: null,
    declineCode: null,
    declineMessage: null,
    refunds: {},
  };
}

function decide(entry: LedgerEntry, behaviour: LedgerEntry['behaviour'], attempts: number): LedgerEntry {
  const code: DeclineCode | null =
    behaviour === null
      ? 'invalid_token'
      : behaviour === 'declined'
        ? 'card_declined'
        : behaviour === 'nofunds'
          ? 'insufficient_funds'
          : null;
  if (code !== null) {
    return { ...entry, attempts, status: 'declined', declineCode: code, declineMessage: DECLINES[code] };
  }
  return { ...entry, attempts, status: 'succeeded', transactionId: `TXN-${randomUUID()}` };
}

function chargeResultOf(entry: LedgerEntry): ChargeResult {
  if (entry.status === 'succeeded' && entry.transactionId) {
    return { status: 'succeeded', transactionId: entry.transactionId };
  }
  const code = entry.status === 'cancelled' ? 'charge_cancelled' : (entry.declineCode ?? 'card_declined');
  return { status: 'declined', code, message: DECLINES[code] };
}

const refundOf = (r: { refundId: string; amountMinor: number }, currency: string): RefundResult => ({
  refundId: r.refundId,
  amount: { amountMinor: r.amountMinor, currency },
});

/** Waits `ms`, or rejects with PaymentCallAbortedError as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(new PaymentCallAbortedError());
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new PaymentCallAbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
