/**
 * Everything the HTTP app needs, handed in by server.ts (or a test): the app itself opens no
 * connection and reads no environment.
 */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Repositories, UnitOfWork } from '../db/unit-of-work';
import type { CardNumber, CardBrand } from '../domain/payment/card-number';
import type { PaymentMethod } from '../domain/payment/payment-method';
import type { DomainContext } from '../domain/shared/context';
import type { ReadDependencyHealth } from '../health/read-side';
import type { AuthConfig } from './auth';
import type { AbuseLimits } from './http/abuse-limits';

/** What the payment provider gives back for a card: a token plus what may be stored about it. */
export interface TokenizedCard {
  readonly token: string;
  readonly brand: CardBrand;
  readonly last4: string;
}

/**
 * The provider's tokenization at the edge: the card number goes in, and from here on only the
 * token, brand and last 4 digits exist. `walletToken` serves methods without a card number
 * (PayPal, Apple Pay...); a provider without it refuses those methods.
 */
export interface PaymentTokenizer {
  tokenizeCard(card: CardNumber): TokenizedCard | Promise<TokenizedCard>;
  walletToken?(method: PaymentMethod): string | Promise<string>;
}

export type ApiConfig = Pick<
  Config,
  | 'SAGA_TASK_QUEUE'
  | 'PURCHASE_RESPONSE_WAIT_MS'
  | 'SEAT_HOLD_SECONDS'
  | 'TEMPORAL_NAMESPACE'
  | 'TEMPORAL_UI_URL'
  | 'REFUND_CUTOFF_MINUTES'
> &
  AuthConfig &
  Partial<Pick<Config, 'TRUST_PROXY'>> & { readonly nodeId: string };

export interface ApiDeps {
  readonly config: ApiConfig;
  readonly db: Database;
  readonly uow: UnitOfWork;
  /** Read-only repositories on the pool (pre-checks of commands). */
  readonly repos: Repositories;
  readonly temporal: Client;
  readonly tokenizer: PaymentTokenizer;
  readonly logger: Logger;
  /** Rate limits and the held-seat cap (api/http/abuse-limits.ts); without it, none apply. */
  readonly limits?: AbuseLimits;
  /** Clock and ids for aggregates the API changes directly; defaults to the system's. */
  readonly domainContext?: DomainContext;
  /**
   * Where GET /health asks about kafka, redis and mongo (the read service's ReadClient). Without
   * it those checks are Unhealthy; the node does not need them, so its status is unaffected.
   */
  readonly readService?: ReadDependencyHealth;
  /**
   * Aborted once the node is shutting down: GET /health answers 503 so it leaves the rotation,
   * and requests waiting for a workflow's result answer 202 at once.
   */
  readonly shutdown?: AbortSignal;
}
