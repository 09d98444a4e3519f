/**
 * What makes two purchase requests "the same request" for an Idempotency-Key: a SHA-256 over the
 * normalized body, kept in the workflow memo. The card number itself is left out on purpose (a
 * hash of 16 digits is easily reversed by trying them all, and it would put card-derived data
 * into Temporal's history); brand and last four digits stand in for it, which is all we store
 * anywhere else too.
 */
import { createHash } from 'node:crypto';
import { sortSeats } from '../../domain/shared/seat';
import type { CardSummary } from '../../domain/payment/card-number';
import type { PurchaseRequest } from '../schemas/purchase';

export const FINGERPRINT_MEMO_KEY = 'requestFingerprint';

export function purchaseFingerprint(request: PurchaseRequest, card: CardSummary | null): string {
  // Fixed key order and sorted seats: the same purchase written differently hashes the same.
  const normalized = [
    request.showtimeId,
    request.customerId,
    sortSeats(request.seats).map((s) => [s.row, s.number]),
    request.paymentMethod,
    card?.brand ?? null,
    card?.last4 ?? null,
    request.cardHolderName,
    // Only when given: a purchase without a hold hashes as it did before holds could be bought.
    ...(request.reservationId === null ? [] : [request.reservationId]),
  ];
  return createHash('sha256').update(JSON.stringify(normalized)).digest('hex');
}
