/** The payment JSON. Card data never appears: the row has only brand and last 4 anyway. */
import type { Payment } from '../../domain/payment/payment';
import { PaymentStatus } from '../../domain/payment/payment-status';
import type { PaymentBody, RefundBody } from '../openapi/bodies/resources';
import { decimalAmount } from './money';

export function paymentBody(payment: Payment): PaymentBody {
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

/** `POST /api/payments/{id}/refund` answer, only for a refunded payment (anything else is a bug of the caller). */
export function refundBody(payment: Payment): RefundBody {
  const p = payment.toSnapshot();
  if (p.status !== PaymentStatus.Refunded || p.refundReason === null) {
    throw new Error(`payment ${p.id} is not refunded`);
  }
  return {
    id: p.id,
    status: p.status,
    refundedAmount: decimalAmount(p.refundedAmountMinor ?? p.amountMinor, p.currency),
    refundReason: p.refundReason,
  };
}
