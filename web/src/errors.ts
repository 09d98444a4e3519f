/**
 * A plain-language sentence for every error code the API can answer (the common error body's
 * `error`), so nobody sees a code. test/unit/web/errors.unit.test.ts checks that every code the
 * domain and the HTTP layer define has one here.
 */
export const ERROR_MESSAGES: Readonly<Record<string, string>> = {
  // the request itself
  ValidationFailed: 'Some of the details are not right. Please check them and try again.',
  MalformedJson: 'The app sent something the server could not read. Please reload the page.',
  PayloadTooLarge: 'That request was too big. Please choose fewer seats and try again.',
  InvalidRequestSize: 'That request was too big. Please try again.',
  UnsupportedCharset: 'The app sent text the server could not read. Please reload the page.',
  UnsupportedEncoding: 'The app sent data the server could not read. Please reload the page.',
  RequestAborted: 'The request was interrupted. Please try again.',
  BadRequest: 'The app sent something the server could not read. Please reload the page.',
  HeadersTooLarge: 'The request was too big. Please sign in again and retry.',
  RequestTimeout: 'The request took too long to arrive. Please check your connection and try again.',
  Overloaded: 'We are very busy right now. Please try again in a moment.',
  TooManySeatsHeld:
    'You are already holding as many seats as one customer may. Please buy or release them first.',
  IdempotencyKeyReused: 'This purchase was already started with different details. Please start again.',
  PaymentMethodNotSupported: 'That way of paying is not accepted here. Please pay by card.',
  InvalidId: 'That link or code is not valid.',
  InvalidInstant: 'That date or time is not valid.',
  InvalidMoney: 'That amount is not valid.',
  InvalidCurrency: 'That currency is not accepted.',
  CurrencyMismatch: 'The prices are in different currencies and cannot be combined.',
  InvalidSeat: 'One of the seats chosen does not exist.',
  InvalidMovie: 'The film details are not valid.',
  InvalidAuditorium: 'The hall details are not valid.',
  InvalidScreeningTime: 'That start time is not valid.',
  InvalidPrice: 'That price is not valid.',
  NoSeatsRequested: 'Please choose at least one seat.',
  TooManySeats: 'That is too many seats for one booking. Please choose fewer.',
  DuplicateSeat: 'The same seat was chosen twice.',
  SeatNotInAuditorium: 'One of the seats chosen is not in this hall.',
  InvalidHoldExpiry: 'The seat hold time is not valid.',
  InvalidCardNumber: 'That card number is not valid. Please check it.',
  InvalidCardDetails: 'The card details are not valid. Please check them.',
  CardDetailsRequired: 'Please enter your card details.',
  InvalidPaymentMethod: 'That way of paying is not valid.',
  InvalidPaymentAmount: 'The amount to pay is not valid.',
  TransactionIdRequired: 'The payment could not be recorded. No money was taken.',
  RefundReasonRequired: 'Please give a reason for the refund.',
  InvalidTicketNumber: 'That ticket number is not valid.',
  InvalidTicketDetails: 'The ticket details are not valid.',
  MissingStepResult: 'The purchase is missing a step. Please contact the cinema.',
  // not found
  NotFound: 'We could not find that. It may not exist yet, or any more.',
  ShowtimeNotFound: 'We could not find that showtime.',
  MovieNotFound: 'We could not find that film.',
  AuditoriumNotFound: 'We could not find that hall.',
  ReservationNotFound: 'We could not find that seat hold.',
  PaymentNotFound: 'We could not find that payment.',
  TicketNotFound: 'We could not find that ticket. Please check the code.',
  SagaNotFound: 'We could not find that purchase.',
  // conflicts and business rules
  ShowtimeInPast: 'This showtime has already started, so it can no longer be booked or scheduled.',
  ShowtimeOverlaps: 'The hall is already booked for another showtime at that time.',
  SeatAlreadyTaken: 'Sorry, someone else has just taken one of those seats. Please choose others.',
  AuditoriumMismatch: 'Those seats belong to a different hall.',
  ReservationExpired: 'Your seat hold ran out, so the seats were released. Please choose them again.',
  ReservationNotPending: 'This seat hold is already finished.',
  ReservationNotCancellable: 'This seat hold can no longer be cancelled.',
  HoldNotExpired: 'The seat hold has not run out yet.',
  HoldExpired:
    'Your seat hold ran out before checkout, so the seats were released. Please choose them again.',
  HoldAlreadyClaimed: 'These held seats are already being bought in another window or tab.',
  HoldSeatsMismatch: 'The seats to buy differ from the seats you hold. Please choose them again.',
  PaymentNotPending: 'This payment was already processed.',
  PaymentNotCompleted: 'This payment did not go through, so there is nothing to refund.',
  ReservationNotConfirmed: 'The seats were not confirmed, so no ticket could be issued.',
  PaymentReservationMismatch: 'The payment does not belong to this booking.',
  PaymentAmountMismatch: 'The amount paid does not match the price.',
  TicketAlreadyUsed: 'This ticket has already been used to enter.',
  TicketVoided: 'This ticket was cancelled and is not valid.',
  TicketRefunded: 'This ticket was refunded and is not valid.',
  IllegalSagaTransition: 'The purchase cannot do that at this stage.',
  TooLateToCancel: 'It is too late to cancel: the ticket has already been issued. You can ask for a refund.',
  ConcurrentModification: 'Someone else changed this at the same moment. Please try again.',
  // sign-in and limits
  Unauthenticated: 'Please sign in again.',
  Unauthorized: 'Please sign in again.',
  CustomerMismatch: 'You can only book and manage your own tickets.',
  RefundWindowClosed: 'Refunds close shortly before the screening, so this ticket can no longer be refunded.',
  MalformedUrl: 'That link is broken. Please go back and try again.',
  Forbidden: 'Your account is not allowed to do that.',
  TooManyRequests: 'Too many requests in a short time. Please wait a moment and try again.',
  // the service itself
  SagaFailed: 'The purchase stopped unexpectedly. Please check "My tickets" before trying again.',
  SagaUnavailable: 'We cannot reach the purchase right now. Please try again in a moment.',
  ReservationUnavailable: 'We cannot reach the seat hold right now. Please try again in a moment.',
  BadGateway: 'The booking service is not reachable right now. Please try again in a moment.',
  NoHealthyUpstream: 'The booking service is not reachable right now. Please try again in a moment.',
  ServiceUnavailable: 'The booking service is busy or partly down. Please try again in a moment.',
  InternalError: 'Something went wrong on our side. Please try again.',
  NetworkError: 'We could not reach the cinema. Please check your connection and try again.',
};

const FALLBACK = 'Something went wrong. Please try again.';

/** The sentence for a code; an unknown code (a newer server) still gets a sentence. */
export const messageFor = (code: string | undefined): string =>
  (code !== undefined && ERROR_MESSAGES[code]) || FALLBACK;

/** A failed purchase's reason ("Compensated: Payment declined - card declined") in plain words. */
export function purchaseFailureMessage(reason: string | null | undefined): string {
  const r = (reason ?? '').replace(/^Compensated:\s*/, '');
  if (/insufficient funds/i.test(r)) return 'Your card was declined: insufficient funds.';
  if (/declined/i.test(r))
    return `Your card was declined${r.includes('-') ? `: ${r.split('-').pop()!.trim()}` : ''}.`;
  if (/seat/i.test(r) && /taken|held|available/i.test(r)) return ERROR_MESSAGES.SeatAlreadyTaken!;
  if (/expired|hold/i.test(r)) return 'The seat hold ran out before the payment finished.';
  if (/cancel/i.test(r)) return 'The purchase was cancelled.';
  return r === '' ? FALLBACK : `The purchase did not go through: ${r}.`;
}
