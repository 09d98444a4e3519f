import type { ReadEnvelope } from '../decode';
import { Payload } from './payload';
import type { ViewWrite } from './types';

export function projectPayment(e: ReadEnvelope): ViewWrite {
  const p = new Payload(e);
  const base = { view: 'payments' as const, id: e.aggregateId, version: e.aggregateVersion };
  const reservationId = p.str('reservationId');
  switch (e.eventType) {
    case 'PaymentCreated':
      return {
        ...base,
        facts: {
          reservationId,
          customerId: p.str('customerId'),
          amountMinor: p.int('amountMinor'),
          currency: p.str('currency'),
          method: p.str('method'),
          cardBrand: p.optStr('cardBrand'),
          cardLast4: p.optStr('cardLast4'),
        },
        state: { status: 'Pending' },
      };
    case 'PaymentProcessingStarted':
      return { ...base, facts: { reservationId }, state: { status: 'Processing' } };
    case 'PaymentCompleted':
      return {
        ...base,
        facts: {
          reservationId,
          customerId: p.str('customerId'),
          amountMinor: p.int('amountMinor'),
          currency: p.str('currency'),
          method: p.str('method'),
          transactionId: p.str('transactionId'),
          processedAt: p.time('processedAt'),
        },
        state: { status: 'Completed' },
      };
    case 'PaymentDeclined':
      return {
        ...base,
        facts: { reservationId, failureReason: p.str('reason'), processedAt: p.time('declinedAt') },
        state: { status: 'Declined' },
      };
    case 'PaymentFailed':
      return {
        ...base,
        facts: { reservationId, failureReason: p.str('reason'), processedAt: p.time('failedAt') },
        state: { status: 'Failed' },
      };
    case 'PaymentRefundStarted':
      return {
        ...base,
        facts: { reservationId, refundReason: p.str('reason') },
        state: { status: 'Refunding' },
      };
    case 'PaymentRefunded':
      return {
        ...base,
        facts: {
          reservationId,
          customerId: p.str('customerId'),
          refundedAmountMinor: p.int('refundedAmountMinor'),
          currency: p.str('currency'),
          refundReason: p.str('reason'),
          refundedAt: p.time('refundedAt'),
        },
        state: { status: 'Refunded' },
      };
    default:
      throw new Error(`not a payment event: ${e.eventType}`);
  }
}
