/**
 * The simulated payment provider with its in-memory ledger: test-card behaviours, one charge and
 * one refund per idempotency key, and resolveCharge cancelling a key nobody charged yet.
 */
import { CardNumber, expectOk } from '../../../domain';
import {
  InMemoryLedger,
  PaymentCallAbortedError,
  PaymentProviderRejectedError,
  PaymentProviderUnavailableError,
  SimulatedPaymentProvider,
  TEST_CARDS,
  tokenizeCard,
} from '../../../providers/payment';

const amount = { amountMinor: 2500, currency: 'USD' };
const tokenFor = (digits: string) => tokenizeCard(expectOk(CardNumber.parse(digits))).token;
const provider = () =>
  new SimulatedPaymentProvider(new InMemoryLedger(), { latencyMs: 0, transientFailures: 2, hangMs: 0 });

describe('tokenizeCard', () => {
  it('keeps brand and last four digits, and a token that says only how the card behaves', () => {
    const card = tokenizeCard(expectOk(CardNumber.parse('4000 0000 0000 9995')));

    expect(card).toMatchObject({ brand: 'Visa', last4: '9995' });
    expect(card.token).toMatch(/^tok_sim_nofunds_[0-9a-f]{24}$/);
    expect(card.token).not.toContain('4000000000009995');
  });

  it('mints a different token each time, and treats unknown valid cards as succeeding', () => {
    const a = tokenFor('5555555555554444');
    const b = tokenFor('5555555555554444');

    expect(a).not.toBe(b);
    expect(a).toMatch(/^tok_sim_ok_/);
  });
});

describe('charge', () => {
  it.each(Object.entries(TEST_CARDS).filter(([, c]) => ['ok', 'declined', 'nofunds'].includes(c.behaviour)))(
    'card %s: the same key always gets the first outcome',
    async (digits, card) => {
      const p = provider();
      const token = tokenFor(digits);

      const first = await p.charge('pay-1', token, amount);
      const again = await p.charge('pay-1', token, amount);

      expect(again).toEqual(first);
      expect(first.status).toBe(card.behaviour === 'ok' ? 'succeeded' : 'declined');
    },
  );

  it('reports the documented decline messages', async () => {
    const p = provider();

    expect(await p.charge('a', tokenFor('4000000000009995'), amount)).toEqual({
      status: 'declined',
      code: 'insufficient_funds',
      message: 'Payment declined - insufficient funds',
    });
    expect(await p.charge('b', tokenFor('4000000000000002'), amount)).toMatchObject({
      code: 'card_declined',
    });
    expect(await p.charge('c', 'tok_forged', amount)).toMatchObject({ code: 'invalid_token' });
  });

  it('fails the transient card twice per key, then charges it once', async () => {
    const p = provider();
    const token = tokenFor('4000000000000119');

    await expect(p.charge('t', token, amount)).rejects.toBeInstanceOf(PaymentProviderUnavailableError);
    await expect(p.charge('t', token, amount)).rejects.toBeInstanceOf(PaymentProviderUnavailableError);
    const charged = await p.charge('t', token, amount);

    expect(charged.status).toBe('succeeded');
    expect(await p.charge('t', token, amount)).toEqual(charged);
  });

  it('hangs on the hanging card until the call is aborted', async () => {
    const abort = new AbortController();
    const call = provider().charge('h', tokenFor('4000000000000259'), amount, { signal: abort.signal });

    abort.abort();

    await expect(call).rejects.toBeInstanceOf(PaymentCallAbortedError);
  });

  it('refuses a key reused for another amount', async () => {
    const p = provider();
    await p.charge('k', tokenFor('4111111111111111'), amount);

    await expect(
      p.charge('k', tokenFor('4111111111111111'), { ...amount, amountMinor: 1 }),
    ).rejects.toBeInstanceOf(PaymentProviderRejectedError);
  });
});

describe('refund and resolveCharge', () => {
  it('refunds once per key and never more than was charged', async () => {
    const p = provider();
    const charged = await p.charge('pay', tokenFor('4242424242424242'), amount);
    if (charged.status !== 'succeeded') throw new Error('expected a charge');

    const refund = await p.refund('refund-pay', charged.transactionId, amount);

    expect(await p.refund('refund-pay', charged.transactionId, amount)).toEqual(refund);
    await expect(p.refund('another-key', charged.transactionId, amount)).rejects.toBeInstanceOf(
      PaymentProviderRejectedError,
    );
  });

  it('finds a charge whose outcome was lost', async () => {
    const p = provider();
    const charged = await p.charge('lost', tokenFor('4111111111111111'), amount);

    expect(await p.resolveCharge('lost')).toEqual({ ...charged, amount });
  });

  it('cancels a key nobody charged, so a late attempt under it is declined', async () => {
    const p = provider();

    expect(await p.resolveCharge('late')).toEqual({ status: 'cancelled' });
    expect(await p.charge('late', tokenFor('4111111111111111'), amount)).toMatchObject({
      status: 'declined',
      code: 'charge_cancelled',
    });
  });
});
