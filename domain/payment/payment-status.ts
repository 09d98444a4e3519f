/**
 * Pending: created, provider not called yet. Processing: the provider call is under way (after a
 * crash, the provider must be asked, keyed by payment id, before charging again). Completed,
 * Declined and Failed are the provider's outcomes; Refunded follows Completed only.
 */
export const PaymentStatus = {
  Pending: 'Pending',
  Processing: 'Processing',
  Completed: 'Completed',
  Declined: 'Declined',
  Refunded: 'Refunded',
  Failed: 'Failed',
} as const;
export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];

export const PAYMENT_STATUSES: readonly PaymentStatus[] = Object.values(PaymentStatus);

/** Statuses from which the provider's outcome can still be recorded. */
export const awaitsOutcome = (status: PaymentStatus): boolean =>
  status === PaymentStatus.Pending || status === PaymentStatus.Processing;
