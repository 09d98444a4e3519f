/** The payment simulator's test cards (providers/payment/simulated-provider.ts). */
export const TEST_CARDS: ReadonlyArray<{ number: string; label: string }> = [
  { number: '4111111111111111', label: 'Visa ending 1111 – succeeds' },
  { number: '4242424242424242', label: 'Visa ending 4242 – succeeds' },
  { number: '4000000000000002', label: 'Card ending 0002 – declined (card declined)' },
  { number: '4000000000009995', label: 'Card ending 9995 – declined (insufficient funds)' },
  { number: '4000000000000119', label: 'Card ending 0119 – fails at first, then succeeds' },
  { number: '4000000000000259', label: 'Card ending 0259 – hangs until the hold runs out' },
];
