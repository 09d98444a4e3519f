/**
 * The payment provider port and its simulator.
 *
 * API edge:  tokenizeCard(cardNumber) -> { token, brand, last4 }  (the digits go no further)
 * Workers:   createPaymentProvider(config, db) -> PaymentProvider  (used by the saga activities)
 */
import type { Config } from '../../config';
import type { Database } from '../../db/database';
import { InMemoryLedger, SqlLedger } from './ledger';
import type { PaymentProvider } from './payment-provider';
import { SimulatedPaymentProvider } from './simulated-provider';

export * from './payment-provider';
export { TEST_CARDS, tokenizeCard, behaviourOf, type CardToken, type CardBehaviour } from './test-cards';
export { SimulatedPaymentProvider, type SimulatorSettings } from './simulated-provider';
export { InMemoryLedger, SqlLedger, type ChargeLedger, type LedgerEntry } from './ledger';

/** The simulator, its ledger in `db` (the write database) unless PAYMENT_SIM_LEDGER=memory. */
export function createPaymentProvider(
  config: Pick<
    Config,
    'PAYMENT_SIM_LATENCY_MS' | 'PAYMENT_SIM_TRANSIENT_FAILURES' | 'PAYMENT_SIM_HANG_MS' | 'PAYMENT_SIM_LEDGER'
  >,
  db: Database,
): PaymentProvider {
  const ledger = config.PAYMENT_SIM_LEDGER === 'memory' ? new InMemoryLedger() : new SqlLedger(db);
  return new SimulatedPaymentProvider(ledger, {
    latencyMs: config.PAYMENT_SIM_LATENCY_MS,
    transientFailures: config.PAYMENT_SIM_TRANSIENT_FAILURES,
    hangMs: config.PAYMENT_SIM_HANG_MS,
  });
}
