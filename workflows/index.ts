/** The saga worker's workflows (its `workflowsPath`). Contracts live in the *-contract.ts files. */
export { ticketPurchase } from './ticket-purchase';
export { refundTicket } from './refund-ticket';
export { reservationHold } from './reservation-hold';
