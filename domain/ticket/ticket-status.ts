export const TicketStatus = {
  Issued: 'Issued',
  Used: 'Used',
  Voided: 'Voided', // cancelled by the business (saga compensation, operator)
  Refunded: 'Refunded', // cancelled because the customer was refunded
} as const;
export type TicketStatus = (typeof TicketStatus)[keyof typeof TicketStatus];

export const TICKET_STATUSES: readonly TicketStatus[] = Object.values(TicketStatus);
