/**
 * The gateway's read views (api/gateway/views.ts): a read-model message becomes the public body;
 * one the read model has only in part is IncompleteView (answered as not there yet, and left out
 * of lists); a value the body does not allow is a read-model bug and throws.
 */
import {
  completeViews,
  IncompleteView,
  paymentView,
  reservationView,
  ticketView,
} from '../../../api/gateway/views';
import { paymentBody, reservationBody, ticketBody } from '../../../api/openapi/bodies/resources';
import type { Payment, Reservation, Ticket } from '../../../proto/gen/cinema/read/v1/read';

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

const ticket = (overrides: Partial<Ticket> = {}): Ticket => ({
  id: 't-1',
  ticketNumber: 'TKT-20260101120000-0001',
  reservationId: 'r-1',
  paymentId: 'p-1',
  showtimeId: 's-1',
  customerId: 'customer-1',
  movieTitle: 'Inception',
  screeningTime: '2026-01-01T12:00:00.000Z',
  auditoriumName: 'Hall 1',
  seats: [{ row: 5, number: 10 }],
  totalPrice: usd(1250),
  status: 'Issued',
  qrCode: 'signed',
  issuedAt: '2026-01-01T10:00:00.000Z',
  usedAt: '',
  cancelledAt: '',
  refundedAt: '',
  statusReason: '',
  ...overrides,
});

const payment = (overrides: Partial<Payment> = {}): Payment => ({
  id: 'p-1',
  reservationId: 'r-1',
  customerId: 'customer-1',
  amount: usd(2500),
  status: 'Completed',
  method: 'CreditCard',
  cardBrand: 'Visa',
  cardLast4: '1111',
  transactionId: 'TXN-1',
  processedAt: '2026-01-01T10:00:00.000Z',
  refundedAmount: undefined,
  refundReason: '',
  refundedAt: '',
  failureReason: '',
  ...overrides,
});

const reservation = (overrides: Partial<Reservation> = {}): Reservation => ({
  id: 'r-1',
  showtimeId: 's-1',
  customerId: 'customer-1',
  seats: [{ row: 5, number: 10 }],
  totalPrice: usd(1250),
  status: 'Pending',
  holdExpiresAt: '2026-01-01T10:10:00.000Z',
  confirmedAt: '',
  cancelledAt: '',
  cancelReason: '',
  expiredAt: '',
  ...overrides,
});

describe('the gateway read views', () => {
  it('write the public bodies, as their schemas accept them', () => {
    const t = ticketView(ticket());
    const p = paymentView(payment());
    const r = reservationView(reservation());

    expect(ticketBody.parse(t)).toEqual(t);
    expect(paymentBody.parse(p)).toEqual(p);
    expect(reservationBody.parse(r)).toEqual(r);
    expect([t.totalPrice, t.status, p.amount, p.currency, r.totalPrice]).toEqual([
      12.5,
      'Issued',
      25,
      'USD',
      12.5,
    ]);
    expect([p.transactionId, r.confirmedAt]).toEqual(['TXN-1', null]);
  });

  it('call a view the read model has only in part incomplete, and leave it out of lists', () => {
    expect(() => paymentView(payment({ amount: undefined, method: '' }))).toThrow(IncompleteView);
    expect(() => paymentView(payment({ method: '' }))).toThrow(IncompleteView);
    expect(() => reservationView(reservation({ totalPrice: undefined }))).toThrow(IncompleteView);
    expect(() => reservationView(reservation({ holdExpiresAt: '' }))).toThrow(IncompleteView);
    expect(completeViews([ticket(), ticket({ id: 't-2', totalPrice: undefined })], ticketView)).toEqual([
      ticketView(ticket()),
    ]);
  });

  it('fail loudly on a status the public body does not have', () => {
    const unknown = () => ticketView(ticket({ status: 'Lost' }));

    expect(unknown).toThrow(/outside/);
    expect(unknown).not.toThrow(IncompleteView);
    expect(() => completeViews([ticket({ status: 'Lost' })], ticketView)).toThrow(/outside/);
  });
});
