import type { ReadEnvelope } from '../decode';
import { utc } from './time';
import type { ViewWrite } from './types';

export function projectPayment(e: ReadEnvelope): ViewWrite {
  const base = { view: 'payments' as const, id: e.aggregateId, version: e.aggregateVersion };
  switch (e.eventType) {
    case 'PaymentCreated': {
      const p = e.payload;
      return {
        ...base,
        facts: {
          reservationId: p.reservationId,
          customerId: p.customerId,
          amountMinor: p.amountMinor,
          currency: p.currency,
          method: p.method,
          cardBrand: p.cardBrand,
          cardLast4: p.cardLast4,
        },
        state: { status: 'Pending' },
      };
    }
    case 'PaymentProcessingStarted':
      return { ...base, facts: { reservationId: e.payload.reservationId }, state: { status: 'Processing' } };
    case 'PaymentCompleted': {
      const p = e.payload;
      return {
        ...base,
        facts: {
          reservationId: p.reservationId,
          customerId: p.customerId,
          amountMinor: p.amountMinor,
          currency: p.currency,
          method: p.method,
          transactionId: p.transactionId,
          processedAt: utc(p.processedAt),
        },
        state: { status: 'Completed' },
      };
    }
    case 'PaymentDeclined': {
      const p = e.payload;
      return {
        ...base,
        facts: { reservationId: p.reservationId, failureReason: p.reason, processedAt: utc(p.declinedAt) },
        state: { status: 'Declined' },
      };
    }
    case 'PaymentFailed': {
      const p = e.payload;
      return {
        ...base,
        facts: { reservationId: p.reservationId, failureReason: p.reason, processedAt: utc(p.failedAt) },
        state: { status: 'Failed' },
      };
    }
    case 'PaymentRefundStarted': {
      const p = e.payload;
      return {
        ...base,
        facts: { reservationId: p.reservationId, refundReason: p.reason },
        state: { status: 'Refunding' },
      };
    }
    case 'PaymentRefunded': {
      const p = e.payload;
      return {
        ...base,
        facts: {
          reservationId: p.reservationId,
          customerId: p.customerId,
          refundedAmountMinor: p.refundedAmountMinor,
          currency: p.currency,
          refundReason: p.reason,
          refundedAt: utc(p.refundedAt),
        },
        state: { status: 'Refunded' },
      };
    }
    default:
      throw new Error(`not a payment event: ${e.eventType}`);
  }
}
