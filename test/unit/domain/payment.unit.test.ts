import { inspect } from 'node:util';
import { CardNumber, passesLuhn } from '../../../domain/payment/card-number';
import { Payment, type CreatePayment } from '../../../domain/payment/payment';
import { isCardMethod, parsePaymentMethod, PAYMENT_METHODS } from '../../../domain/payment/payment-method';
import { refundBegun } from '../../../domain/payment/payment-status';
import { expectErr, expectOk, testContext, type TestContext } from './fakes';
import { NOW, usd } from './fixtures';

const VISA = '4111111111111111';

describe('CardNumber', () => {
  it.each([
    ['4111111111111111', 'Visa'],
    ['4242424242424242', 'Visa'],
    ['4222222222222', 'Visa'], // 13-digit Visa
    ['5555555555554444', 'Mastercard'],
    ['2223003122003222', 'Mastercard'], // 2-series
    ['378282246310005', 'Amex'],
    ['371449635398431', 'Amex'],
    ['6011111111111117', 'Discover'],
    ['6445644564456445', 'Discover'],
    ['3530111333300000', 'Unknown'], // JCB: valid Luhn, brand not tracked
  ])('accepts %s as %s', (number, brand) => {
    const card = expectOk(CardNumber.parse(number));
    expect(card.brand).toBe(brand);
    expect(card.last4).toBe(number.slice(-4));
  });

  it('strips spaces and dashes', () => {
    expect(expectOk(CardNumber.parse('4111 1111-1111 1111')).revealDigits()).toBe(VISA);
  });

  it.each([
    ['4111111111111112', 'fails Luhn'],
    ['41111111111', 'too short (11 digits)'],
    ['41111111111111111111', 'too long (20 digits)'],
    ['4111a11111111111', 'letters'],
    ['', 'empty'],
    ['4111.1111.1111.1111', 'dots'],
  ])('refuses %p (%s) without echoing it', (input) => {
    const e = expectErr(CardNumber.parse(input), 'InvalidCardNumber');
    if (input.length > 4) expect(e.message).not.toContain(input);
  });

  it('refuses non-strings (a JSON number would already have lost digits)', () => {
    expectErr(CardNumber.parse(4111111111111111), 'InvalidCardNumber');
    expectErr(CardNumber.parse(undefined), 'InvalidCardNumber');
  });

  it('implements Luhn', () => {
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
  });

  describe('never shows the full number', () => {
    const card = expectOk(CardNumber.parse(VISA));
    const masked = '**** **** **** 1111';

    it('in JSON', () => {
      expect(JSON.stringify(card)).toBe(`"${masked}"`);
      expect(JSON.stringify({ card })).not.toContain(VISA);
      expect(JSON.stringify([card])).not.toContain('41111111');
    });

    it('in util.inspect / console.log', () => {
      expect(inspect(card)).not.toContain(VISA);
      expect(inspect(card)).toContain('1111');
      expect(inspect({ nested: { card } }, { depth: 5, showHidden: true })).not.toContain(VISA);
    });

    it('in string conversions', () => {
      expect(`${card}`).toBe(masked);
      expect(String(card)).toBe(masked);
      expect(card.toString()).toBe(masked);
      expect('' + card).toBe(masked);
    });

    it('in its enumerable properties and structured clones', () => {
      expect(Object.values(card).join(' ')).not.toContain(VISA);
      expect(JSON.stringify(Object.entries(card))).not.toContain(VISA);
      expect(JSON.stringify(structuredClone(card))).not.toContain(VISA);
      expect(card.summary()).toEqual({ brand: 'Visa', last4: '1111' });
    });

    it('but reveals the digits on explicit request, for the tokenizer', () => {
      expect(card.revealDigits()).toBe(VISA);
    });
  });
});

describe('PaymentMethod', () => {
  it('accepts the six documented methods and refuses others', () => {
    expect(PAYMENT_METHODS).toEqual([
      'CreditCard',
      'DebitCard',
      'PayPal',
      'ApplePay',
      'GooglePay',
      'BankTransfer',
    ]);
    for (const m of PAYMENT_METHODS) expect(expectOk(parsePaymentMethod(m))).toBe(m);
    expectErr(parsePaymentMethod('Cash'), 'InvalidPaymentMethod');
    expectErr(parsePaymentMethod('creditcard'), 'InvalidPaymentMethod');
    expect(isCardMethod('CreditCard')).toBe(true);
    expect(isCardMethod('PayPal')).toBe(false);
  });
});

describe('Payment', () => {
  const card = expectOk(CardNumber.parse(VISA));
  const command = (overrides: Partial<CreatePayment> = {}): CreatePayment => ({
    id: 'pay-xyz789',
    reservationId: 'res-1',
    customerId: 'customer-123',
    amount: usd('25.00'),
    method: 'CreditCard',
    card: card.summary(),
    providerToken: 'tok_abc',
    ...overrides,
  });
  const created = (ctx: TestContext = testContext(NOW), overrides: Partial<CreatePayment> = {}) => {
    const payment = expectOk(Payment.create(command(overrides), ctx));
    payment.pullEvents();
    return payment;
  };
  const completed = (ctx: TestContext = testContext(NOW)) => {
    const payment = created(ctx);
    expectOk(payment.complete('TXN-abc123', ctx));
    payment.pullEvents();
    return payment;
  };

  it('creates a pending payment storing only brand and last 4 of the card', () => {
    const payment = expectOk(Payment.create(command({ card }), testContext(NOW)));
    const snapshot = payment.toSnapshot();
    expect(snapshot).toEqual({
      id: 'pay-xyz789',
      reservationId: 'res-1',
      customerId: 'customer-123',
      amountMinor: 2500,
      currency: 'USD',
      method: 'CreditCard',
      status: 'Pending',
      cardBrand: 'Visa',
      cardLast4: '1111',
      providerToken: 'tok_abc',
      transactionId: null,
      failureReason: null,
      createdAt: '2025-01-08T12:00:00.000Z',
      processedAt: null,
      refundedAmountMinor: null,
      refundReason: null,
      refundedAt: null,
      version: 1,
    });
    const events = payment.pullEvents();
    expect(events.map((e) => e.eventType)).toEqual(['PaymentCreated']);
    expect(events[0]?.payload).toMatchObject({ method: 'CreditCard', cardBrand: 'Visa', cardLast4: '1111' });
    // Even when handed the CardNumber itself, nothing the aggregate emits contains the number.
    expect(JSON.stringify({ snapshot, events, payment })).not.toContain(VISA);
  });

  it('requires card details for card methods only', () => {
    expectErr(Payment.create(command({ card: null }), testContext(NOW)), 'CardDetailsRequired');
    const paypal = expectOk(Payment.create(command({ method: 'PayPal', card: null }), testContext(NOW)));
    expect(paypal.toSnapshot()).toMatchObject({ method: 'PayPal', cardBrand: null, cardLast4: null });
  });

  it('refuses malformed card details, unknown methods, zero amounts and bad ids', () => {
    expectErr(
      Payment.create(command({ card: { brand: 'Visa', last4: '11111' } }), testContext(NOW)),
      'InvalidCardDetails',
    );
    expectErr(Payment.create(command({ method: 'Cash' }), testContext(NOW)), 'InvalidPaymentMethod');
    expectErr(Payment.create(command({ amount: usd('0') }), testContext(NOW)), 'InvalidPaymentAmount');
    expectErr(Payment.create(command({ reservationId: '' }), testContext(NOW)), 'InvalidId');
  });

  it('goes Pending -> Processing -> Completed with the transaction id', () => {
    const ctx = testContext(NOW);
    const payment = created(ctx);
    expectOk(payment.markProcessing(ctx));
    expect(payment.status).toBe('Processing');
    expectOk(payment.markProcessing(ctx)); // retried activity: no-op
    ctx.clock.advanceSeconds(2);
    expectOk(payment.complete('TXN-abc123', ctx));
    expect(payment.status).toBe('Completed');
    expect(payment.toSnapshot()).toMatchObject({
      transactionId: 'TXN-abc123',
      processedAt: '2025-01-08T12:00:02.000Z',
      version: 3,
    });
    expect(payment.pullEvents().map((e) => [e.eventType, e.aggregateVersion])).toEqual([
      ['PaymentProcessingStarted', 2],
      ['PaymentCompleted', 3],
    ]);
  });

  it('completes straight from Pending too (a synchronous provider)', () => {
    const payment = created();
    expectOk(payment.complete('TXN-1', testContext(NOW)));
    expect(payment.status).toBe('Completed');
  });

  it('treats completing again with the same transaction as a retry, and refuses a different one', () => {
    const ctx = testContext(NOW);
    const payment = completed(ctx);
    expectOk(payment.complete('TXN-abc123', ctx));
    expect(payment.pullEvents()).toEqual([]);
    expectErr(payment.complete('TXN-other', ctx), 'PaymentNotPending');
    expectErr(payment.complete('  ', ctx), 'TransactionIdRequired');
  });

  it('declines with a reason, idempotently, and then refuses other outcomes', () => {
    const ctx = testContext(NOW);
    const payment = created(ctx);
    expectOk(payment.markProcessing(ctx));
    expectOk(payment.decline('Insufficient funds', ctx));
    expect(payment.toSnapshot()).toMatchObject({ status: 'Declined', failureReason: 'Insufficient funds' });
    expectOk(payment.decline('Insufficient funds', ctx));
    expect(payment.pullEvents().map((e) => e.eventType)).toEqual([
      'PaymentProcessingStarted',
      'PaymentDeclined',
    ]);
    expectErr(payment.complete('TXN-1', ctx), 'PaymentNotPending');
    expectErr(payment.fail('timeout', ctx), 'PaymentNotPending');
    expectErr(payment.markProcessing(ctx), 'PaymentNotPending');
    expectErr(payment.refund('x', ctx), 'PaymentNotCompleted');
  });

  it('fails for technical reasons, idempotently', () => {
    const ctx = testContext(NOW);
    const payment = created(ctx);
    expectOk(payment.fail('Provider unavailable', ctx));
    expectOk(payment.fail('Provider unavailable', ctx));
    expect(payment.status).toBe('Failed');
    expect(payment.pullEvents().map((e) => e.eventType)).toEqual(['PaymentFailed']);
    expectErr(payment.decline('x', ctx), 'PaymentNotPending');
    expectErr(payment.complete('TXN-1', ctx), 'PaymentNotPending');
  });

  it('refunds a completed payment in full, with a reason', () => {
    const ctx = testContext(NOW);
    const payment = completed(ctx);
    expectOk(payment.refund('Customer request', ctx));
    expect(payment.status).toBe('Refunded');
    expect(payment.refundedAmount?.toDecimalString()).toBe('25.00');
    expect(payment.toSnapshot()).toMatchObject({
      refundedAmountMinor: 2500,
      refundReason: 'Customer request',
      refundedAt: '2025-01-08T12:00:00.000Z',
    });
    expect(payment.pullEvents()[0]).toMatchObject({
      eventType: 'PaymentRefunded',
      payload: { refundedAmountMinor: 2500, currency: 'USD', reason: 'Customer request' },
    });
  });

  it('treats a repeated refund as a no-op (retried compensation)', () => {
    const ctx = testContext(NOW);
    const payment = completed(ctx);
    expectOk(payment.refund('first', ctx));
    payment.pullEvents();
    expectOk(payment.refund('second', ctx));
    expect(payment.pullEvents()).toEqual([]);
    expect(payment.toSnapshot().refundReason).toBe('first');
  });

  it('refuses to refund a payment that is not completed, or without a reason', () => {
    const ctx = testContext(NOW);
    expectErr(created(ctx).refund('x', ctx), 'PaymentNotCompleted');
    expectErr(completed(ctx).refund('   ', ctx), 'RefundReasonRequired');
  });

  it('refuses a completed payment going back to another outcome', () => {
    const ctx = testContext(NOW);
    const payment = completed(ctx);
    expectErr(payment.decline('x', ctx), 'PaymentNotPending');
    expectErr(payment.fail('x', ctx), 'PaymentNotPending');
    expectErr(payment.markProcessing(ctx), 'PaymentNotPending');
  });

  it('round-trips its snapshot through JSON', () => {
    const ctx = testContext(NOW);
    const payment = completed(ctx);
    const copy = Payment.fromSnapshot(JSON.parse(JSON.stringify(payment.toSnapshot())));
    expect(copy.toSnapshot()).toEqual(payment.toSnapshot());
    expectOk(copy.refund('after reload', ctx));
    expect(copy.pullEvents()[0]?.aggregateVersion).toBe(3);
  });
});

describe('a refund that begins before the provider is asked', () => {
  it('goes Completed -> Refunding -> Refunded, keeps the first reason, and stops the ticket at the door', () => {
    const ctx = testContext();
    const payment = expectOk(
      Payment.create(
        {
          id: 'pay-1',
          reservationId: 'res-1',
          customerId: 'cust-1',
          amount: usd('12.50'),
          method: 'CreditCard',
          card: { brand: 'Visa', last4: '1111' },
        },
        ctx,
      ),
    );
    expectOk(payment.markProcessing(ctx));
    expectOk(payment.complete('TXN-1', ctx));
    payment.pullEvents();

    expectOk(payment.beginRefund('changed plans', ctx));
    expectOk(payment.beginRefund('again', ctx));
    expect(payment.status).toBe('Refunding');
    expect(refundBegun(payment.status)).toBe(true);
    expectOk(payment.refund('other words', ctx));

    expect(payment.pullEvents().map((e) => e.eventType)).toEqual(['PaymentRefundStarted', 'PaymentRefunded']);
    expect(payment.toSnapshot()).toMatchObject({ status: 'Refunded', refundReason: 'changed plans' });
  });

  it('refuses to begin for a payment that was never completed', () => {
    const ctx = testContext();
    const payment = expectOk(
      Payment.create(
        {
          id: 'pay-2',
          reservationId: 'res-2',
          customerId: 'cust-1',
          amount: usd('12.50'),
          method: 'PayPal',
        },
        ctx,
      ),
    );
    expectErr(payment.beginRefund('why not', ctx), 'PaymentNotCompleted');
  });
});
