/**
 * The refund answer of an API node. The payment itself is shown by the gateway, from the read model
 * (api/gateway/views.ts).
 */
import type { Payment } from '../../domain/payment/payment';
import { PaymentStatus } from '../../domain/payment/payment-status';
import type { RefundBody } from '../openapi/bodies/resources';
import { decimalAmount } from './money';

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
