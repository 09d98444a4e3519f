/**
 * The public REST contract's example requests and documented responses, one constant per example
 * (the table in seed-examples.e2e.test.ts names each one's API section). Only the field names and
 * types of the responses are compared with what the gateway answers; their example values (ids,
 * instants) are illustrations, except those the e2e test names as fixed.
 */

/** "Ticket Purchase API (Saga) › Purchase Ticket": the request body. */
export const PURCHASE_REQUEST = {
  showtimeId: '34306464-2135-4992-89b1-3e25839fbc4f',
  customerId: 'customer-123',
  seats: [
    { row: 5, number: 10 },
    { row: 5, number: 11 },
  ],
  paymentMethod: 'CreditCard',
  cardNumber: '4111111111111111',
  cardHolderName: 'John Doe',
} as const;

/** "Purchase Ticket › Success Response (200 OK)". */
export const PURCHASE_SUCCESS = {
  success: true,
  ticketId: 'ticket-abc123',
  ticketNumber: 'TKT-20250108123456-1234',
  reservationId: 'a1b2c3d4-5678-90ab-cdef-1234567890ab',
  paymentId: 'pay-xyz789',
  movieTitle: 'Inception',
  screeningTime: '2025-12-12T20:00:00Z',
  seats: [
    { row: 5, number: 10 },
    { row: 5, number: 11 },
  ],
  totalPrice: 25.0,
};

/** "Purchase Ticket › Failure Response (400 Bad Request)". */
export const PURCHASE_FAILURE = {
  success: false,
  error: 'Compensated: Payment declined - insufficient funds',
  sagaId: 'saga-123456',
};

/** "Get Saga Status › Response (200 OK)". */
export const SAGA_STATUS = {
  sagaId: 'saga-123456',
  status: 'Completed',
  currentStep: 4,
  totalSteps: 4,
  failureReason: null,
  createdAt: '2025-01-08T12:00:00Z',
  completedAt: '2025-01-08T12:00:05Z',
  ticketId: 'ticket-abc123',
  ticketNumber: 'TKT-20250108123456-1234',
  stepLogs: [
    {
      stepName: 'ReserveSeats',
      success: true,
      message: 'Reserved 2 seats',
      timestamp: '2025-01-08T12:00:01Z',
    },
    {
      stepName: 'ProcessPayment',
      success: true,
      message: 'Payment processed, TransactionId: TXN-abc123',
      timestamp: '2025-01-08T12:00:02Z',
    },
    {
      stepName: 'ConfirmReservation',
      success: true,
      message: 'Reservation confirmed',
      timestamp: '2025-01-08T12:00:03Z',
    },
    {
      stepName: 'IssueTicket',
      success: true,
      message: 'Ticket issued: TKT-20250108123456-1234',
      timestamp: '2025-01-08T12:00:04Z',
    },
  ],
};

/** "Payments API › Get Payment by ID › Response (200 OK)". */
export const PAYMENT = {
  id: 'pay-xyz789',
  reservationId: 'a1b2c3d4-5678-90ab-cdef-1234567890ab',
  customerId: 'customer-123',
  amount: 25.0,
  currency: 'USD',
  status: 'Completed',
  method: 'CreditCard',
  transactionId: 'TXN-abc123',
  processedAt: '2025-01-08T12:00:02Z',
};

/** "Payments API › Refund Payment": the request body. */
export const REFUND_REQUEST = { reason: 'Customer request' } as const;

/** "Refund Payment › Response (200 OK)". */
export const REFUND = {
  id: 'pay-xyz789',
  status: 'Refunded',
  refundedAmount: 25.0,
  refundReason: 'Customer request',
};

/** "Tickets API › Get Ticket by ID › Response (200 OK)". */
export const TICKET = {
  id: 'ticket-abc123',
  ticketNumber: 'TKT-20250108123456-1234',
  reservationId: 'a1b2c3d4-5678-90ab-cdef-1234567890ab',
  paymentId: 'pay-xyz789',
  showtimeId: '34306464-2135-4992-89b1-3e25839fbc4f',
  customerId: 'customer-123',
  movieTitle: 'Inception',
  screeningTime: '2025-12-12T20:00:00Z',
  auditoriumName: 'Hall 1',
  seats: [
    { row: 5, number: 10 },
    { row: 5, number: 11 },
  ],
  totalPrice: 25.0,
  status: 'Issued',
  qrCode: 'QR:ticket-abc123:TKT-20250108123456-1234',
};

/** "Validate Ticket › Response (200 OK)". */
export const VALIDATION = {
  valid: true,
  ticketNumber: 'TKT-20250108123456-1234',
  movieTitle: 'Inception',
  screeningTime: '2025-12-12T20:00:00Z',
  seats: 'Row 5, Seats 10-11',
};

/** "Use Ticket (Mark as Used) › Response (200 OK)". */
export const TICKET_USED = {
  id: 'ticket-abc123',
  status: 'Used',
  usedAt: '2025-12-12T19:55:00Z',
};

/** "Health Check API › Response (200 OK)". */
export const HEALTH = {
  status: 'Healthy',
  checks: {
    database: 'Healthy',
    kafka: 'Healthy',
    redis: 'Healthy',
  },
};
