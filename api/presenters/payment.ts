/** The payment JSON. Card data never appears: the row has only brand and last 4 anyway. */
import type { Payment } from '../../domain/payment/payment';
import { decimalAmount } from './money';

export function paymentBody(payment: Payment) {
  const p = payment.toSnapshot();
  return {
    id: p.id,
    reservationId: p.reservationId,
    customerId: p.customerId,
    amount: decimalAmount(p.amountMinor, p.currency),
    currency: p.currency,
    status: p.status,
    method: p.method,
    transactionId: p.transactionId,
    processedAt: p.processedAt,
  };
}

/** `POST /api/payments/{id}/refund` answer. */
export function refundBody(payment: Payment) {
  const p = payment.toSnapshot();
  return {
    id: p.id,
    status: p.status,
    refundedAmount: decimalAmount(p.refundedAmountMinor ?? p.amountMinor, p.currency),
    refundReason: p.refundReason,
  };
}
