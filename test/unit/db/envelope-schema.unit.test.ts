import { parseEnvelope, parseOutboxEnvelope } from '../../../db/outbox/envelope-schema';
import { envelope, type DomainEvent } from '../../../domain/shared/events';

const event: DomainEvent = {
  eventId: '3f0c9a52-6a8e-4f5e-9b3c-2d1e0f4a5b6c',
  eventType: 'TicketIssued',
  aggregateType: 'Ticket',
  aggregateId: 'ticket-1',
  aggregateVersion: 1,
  occurredAt: '2026-01-08T12:00:00.000Z',
  payload: { ticketId: 'ticket-1' },
};

describe('parseEnvelope (outbox boundary)', () => {
  it('keeps the correlation id and the request id of a traced event', () => {
    const traced = envelope(event, { correlationId: 'purchase-k1', requestId: 'req-k1' });
    expect(parseEnvelope(traced)).toEqual(traced);
  });

  it('accepts a null request id for work no request caused', () => {
    const untraced = envelope(event, { correlationId: 'outbox-relay-0', requestId: null });
    expect(parseEnvelope(untraced).requestId).toBeNull();
  });

  it('reads an envelope written before request ids existed (same schema version) as a null request id', () => {
    const old = { ...event, schemaVersion: 1, correlationId: 'purchase-k1' };
    expect(old).not.toHaveProperty('requestId');
    expect(parseEnvelope(old)).toEqual({ ...old, requestId: null });
  });

  it.each([
    ['empty', ''],
    ['longer than 200 characters', 'r'.repeat(201)],
    ['not a string', 42],
  ])('rejects a request id that is %s', (_what, requestId) => {
    const bad = { ...envelope(event, { correlationId: null, requestId: null }), requestId };
    expect(() => parseEnvelope(bad)).toThrow(/invalid event envelope: requestId/);
  });
});

describe('parseOutboxEnvelope (what the outbox writer lets in)', () => {
  const created = {
    paymentId: 'pay-1',
    reservationId: 'res-1',
    customerId: 'customer-1',
    amountMinor: 2500,
    currency: 'USD',
    method: 'CreditCard',
    cardBrand: 'Visa',
    cardLast4: '1111',
  };
  const payment = envelope(
    {
      ...event,
      eventType: 'PaymentCreated',
      aggregateType: 'Payment',
      aggregateId: 'pay-1',
      payload: created,
    },
    { correlationId: null, requestId: null },
  );

  it('keeps a payload that fits its event schema as it is', () => {
    expect(parseOutboxEnvelope(payment)).toEqual(payment);
  });

  it('drops a field the schema does not name, so it never reaches the outbox', () => {
    const leaky = { ...payment, payload: { ...created, cardNumber: '4111111111111111' } };
    expect(parseOutboxEnvelope(leaky).payload).toEqual(created);
  });

  it('refuses a payload that breaks its schema, naming the field', () => {
    const bad = { ...payment, payload: { ...created, cardLast4: '4111111111111111' } };
    expect(() => parseOutboxEnvelope(bad)).toThrow(
      `invalid event envelope: PaymentCreated ${event.eventId}: payload.cardLast4:`,
    );
  });
});
