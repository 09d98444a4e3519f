/**
 * Card tokenization for the simulated provider, at the API edge. Like a real provider's test
 * mode, the token encodes only how the simulated card behaves (`tok_sim_<behaviour>_<random>`):
 * never its digits, so the token may travel through Temporal history, logs and SQL.
 *
 *   const card = CardNumber.parse(body.cardNumber);      // domain: Luhn, brand, last4
 *   const { token, brand, last4 } = tokenizeCard(card.value);
 *   // start the saga with { token, cardBrand: brand, cardLast4: last4 }; forget the number
 */
import { randomBytes } from 'node:crypto';

import type { CardBrand, CardNumber } from '../../domain/payment/card-number';

export const CARD_BEHAVIOURS = ['ok', 'declined', 'nofunds', 'transient', 'hang'] as const;
export type CardBehaviour = (typeof CARD_BEHAVIOURS)[number];

/**
 * The deterministic test cards (the widely used convention, plus two for failure testing).
 * Every other valid card number behaves like `ok`.
 */
export const TEST_CARDS: Readonly<Record<string, { behaviour: CardBehaviour; description: string }>> = {
  '4111111111111111': { behaviour: 'ok', description: 'succeeds' },
  '4242424242424242': { behaviour: 'ok', description: 'succeeds' },
  '4000000000000002': { behaviour: 'declined', description: 'declined (card_declined)' },
  '4000000000009995': { behaviour: 'nofunds', description: 'declined (insufficient_funds)' },
  '4000000000000119': {
    behaviour: 'transient',
    description: 'provider error on the first attempts of each charge key, then succeeds',
  },
  '4000000000000259': {
    behaviour: 'hang',
    description: 'never answers: hangs until the call is aborted (activity timeout or cancel)',
  },
};

export interface CardToken {
  readonly token: string;
  readonly brand: CardBrand;
  readonly last4: string;
}

/** Mints a provider token for a validated card. Only brand and last 4 digits may be kept. */
export function tokenizeCard(card: CardNumber): CardToken {
  const behaviour = TEST_CARDS[card.revealDigits()]?.behaviour ?? 'ok';
  return {
    token: `tok_sim_${behaviour}_${randomBytes(12).toString('hex')}`,
    brand: card.brand,
    last4: card.last4,
  };
}

const TOKEN = /^tok_sim_([a-z]+)_[0-9a-f]{8,64}$/;

/** The behaviour a token stands for, or null for a token this simulator never minted. */
export function behaviourOf(token: string): CardBehaviour | null {
  const name = TOKEN.exec(token)?.[1];
  return (CARD_BEHAVIOURS as readonly string[]).includes(name ?? '') ? (name as CardBehaviour) : null;
}
