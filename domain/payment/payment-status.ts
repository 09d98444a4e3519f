/**
 * Pending: created, provider not called yet. Processing: the provider call is under way (after a
 * crash, the provider must be asked, keyed by payment id, before charging again). Completed,
 * Declined and Failed are the provider's outcomes. Refunding: a refund was decided and recorded,
 * the provider is being asked (keyed by `refund-<payment id>`); Refunded once it answered.
 */
export const PaymentStatus = {
  Pending: 'Pending',
  Processing: 'Processing',
  Completed: 'Completed',
  Declined: 'Declined',
  Refunding: 'Refunding',
  Refunded: 'Refunded',
  Failed: 'Failed',
} as const;
export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];

export const PAYMENT_STATUSES: readonly PaymentStatus[] = Object.values(PaymentStatus);

/** Statuses from which the provider's outcome can still be recorded. */
export const awaitsOutcome = (status: PaymentStatus): boolean =>
  status === PaymentStatus.Pending || status === PaymentStatus.Processing;

/** A refund was decided (and maybe already made): the ticket must not admit anyone any more. */
export const refundBegun = (status: PaymentStatus): boolean =>
  status === PaymentStatus.Refunding || status === PaymentStatus.Refunded;
