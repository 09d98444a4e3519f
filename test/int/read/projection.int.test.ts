/**
 * Events on the topic become views visible through gRPC; duplicates and out-of-order events
 * leave them correct; malformed requests and unknown ids get their status codes.
 */
import { randomUUID } from 'node:crypto';

import { GrpcStatus, isGrpcError } from '../../../read-service/client';
import { SeatState } from '../../../proto/gen/cinema/read/v1/read';
import { createHarness, envelope, eventually, purchaseStory, type Harness } from './harness';
import type { ReadClient } from '../../../read-service/client';

let h: Harness;
let client: ReadClient;

beforeAll(async () => {
  h = await createHarness('projection');
  ({ client } = await h.start());
});

afterAll(async () => {
  await h?.close();
});

test('a purchase published to the topic is visible through every query', async () => {
  const s = purchaseStory();
  await h.publish(...s.all);

  const ticket = await eventually(() => client.getTicket({ ticketId: s.ids.ticketId }));
  expect(ticket).toMatchObject({
    id: s.ids.ticketId,
    ticketNumber: s.ids.ticketNumber,
    reservationId: s.ids.reservationId,
    paymentId: s.ids.paymentId,
    showtimeId: s.ids.showtimeId,
    customerId: s.ids.customerId,
    movieTitle: 'Inception',
    screeningTime: '2025-12-12T20:00:00.000Z',
    auditoriumName: 'Hall 1',
    seats: s.seats,
    totalPrice: { amountMinor: 2500, currency: 'USD' },
    status: 'Issued',
    qrCode: `QR:${s.ids.ticketId}:${s.ids.ticketNumber}`,
  });
  await expect(client.getTicketByNumber({ ticketNumber: s.ids.ticketNumber })).resolves.toMatchObject({
    id: s.ids.ticketId,
  });
  const purchase = await eventually(async () => {
    const p = await client.getPurchaseSummary({ sagaId: s.ids.sagaId });
    if (p.status !== 'Completed') throw new Error(p.status);
    return p;
  });
  expect(purchase.steps).toEqual([
    {
      stepName: 'ReserveSeats',
      stepNumber: 1,
      success: true,
      message: 'Seats reserved',
      timestamp: s.stepCompleted.occurredAt,
    },
  ]);
  expect(purchase).toMatchObject({
    ticketNumber: s.ids.ticketNumber,
    paymentId: s.ids.paymentId,
    seats: s.seats,
  });
  const payment = await eventually(async () => {
    const p = await client.getPayment({ paymentId: s.ids.paymentId });
    if (p.status !== 'Completed') throw new Error(p.status);
    return p;
  });
  expect(payment).toMatchObject({
    amount: { amountMinor: 2500, currency: 'USD' },
    transactionId: 'TXN-abc123',
    cardLast4: '4242',
  });
  const reservation = await eventually(async () => {
    const r = await client.getReservation({ reservationId: s.ids.reservationId });
    if (r.status !== 'Confirmed') throw new Error(r.status);
    return r;
  });
  expect(reservation.totalPrice).toEqual({ amountMinor: 2500, currency: 'USD' });

  // The showtime is another aggregate on another partition: wait for it too.
  const map = await eventually(() => client.getSeatMap({ showtimeId: s.ids.showtimeId }));
  expect(map.availableSeats).toBe(98);
  expect(map.taken.map((t) => [t.seat, t.state])).toEqual(
    s.seats.map((seat) => [seat, SeatState.SEAT_STATE_SOLD]),
  );
  const showtime = await client.getShowtime({ showtimeId: s.ids.showtimeId });
  expect(showtime).toMatchObject({
    movieTitle: 'Inception',
    auditoriumName: 'Hall 1',
    price: { amountMinor: 1250 },
    soldSeats: 2,
    availableSeats: 98,
  });
  const byMovieAndDate = await client.listShowtimes({ movieId: s.ids.movieId, date: '2025-12-12' });
  expect(byMovieAndDate.showtimes.map((x) => x.id)).toEqual([s.ids.showtimeId]);
  await expect(client.listShowtimes({ movieId: s.ids.movieId, date: '2025-12-13' })).resolves.toEqual({
    showtimes: [],
  });
  const tickets = await client.listCustomerTickets({ customerId: s.ids.customerId });
  expect(tickets.tickets.map((t) => t.id)).toEqual([s.ids.ticketId]);
});

test('duplicates and older events arriving late leave the views correct', async () => {
  const s = purchaseStory();
  await h.publish(s.ticketIssued, s.ticketUsed);
  await eventually(async () => {
    const t = await client.getTicket({ ticketId: s.ids.ticketId });
    if (t.status !== 'Used') throw new Error(t.status);
  });
  // The same events again, and the older one once more with a new event id (a replay).
  await h.publish(s.ticketIssued, s.ticketUsed, {
    ...s.ticketIssued,
    eventId: randomUUID(), // the same event replayed under a new id
  });
  // A later marker on the same partition (same key) shows the replays were consumed.
  const refunded = envelope('TicketRefunded', s.ids.ticketId, 3, {
    ticketId: s.ids.ticketId,
    ticketNumber: s.ids.ticketNumber,
    reservationId: s.ids.reservationId,
    paymentId: s.ids.paymentId,
    reason: 'Customer request',
    refundedAt: '2025-12-01T10:00:00.000Z',
  });
  await h.publish(refunded);
  const t = await eventually(async () => {
    const x = await client.getTicket({ ticketId: s.ids.ticketId });
    if (x.status !== 'Refunded') throw new Error(x.status);
    return x;
  });
  expect(t).toMatchObject({
    usedAt: '2025-12-12T19:55:00.000Z',
    refundedAt: '2025-12-01T10:00:00.000Z',
    statusReason: 'Customer request',
    qrCode: `QR:${s.ids.ticketId}:${s.ids.ticketNumber}`,
  });
  // Each version's state once, whatever was delivered twice.
  const doc = await h.mongo.db.collection('tickets_g1').findOne({ _id: s.ids.ticketId as never });
  expect(doc?.states).toEqual({
    v1: { status: 'Issued' },
    v2: { status: 'Used' },
    v3: { status: 'Refunded' },
  });

  // Newer before older across a reservation: the confirmation wins, the creation fills in details.
  await h.publish(s.reservationConfirmed);
  await eventually(() => client.getReservation({ reservationId: s.ids.reservationId }));
  await h.publish(s.reservationCreated);
  const r = await eventually(async () => {
    const x = await client.getReservation({ reservationId: s.ids.reservationId });
    if (!x.totalPrice) throw new Error('creation not applied yet');
    return x;
  });
  expect(r).toMatchObject({
    status: 'Confirmed',
    totalPrice: { amountMinor: 2500, currency: 'USD' },
    holdExpiresAt: '2025-01-08T12:10:00.000Z',
  });
});

test("a ticket's later events that arrive before its issue still reach the customer's list", async () => {
  const s = purchaseStory();
  // TicketUsed names no customer: it is not listed until the issue arrives, which then finds the
  // ticket document already there and lists it as it stands, used.
  await h.publish(s.ticketUsed);
  await eventually(async () => {
    const t = await client.getTicket({ ticketId: s.ids.ticketId }).catch(() => null);
    if (t === null) throw new Error('TicketUsed not applied yet');
  });
  await h.publish(s.ticketIssued);
  // Within the batch the list shows it issued for a moment (the event's own entry), then
  // as the ticket document stands; without that second write it would stay Issued.
  const listed = await eventually(async () => {
    const list = await client.listCustomerTickets({ customerId: s.ids.customerId });
    if (list.tickets[0]?.status !== 'Used') throw new Error(`listed as ${list.tickets[0]?.status}`);
    return list.tickets;
  });
  expect(listed).toEqual([
    expect.objectContaining({ id: s.ids.ticketId, status: 'Used', usedAt: '2025-12-12T19:55:00.000Z' }),
  ]);
  // A redelivered issue, then a refund on the same partition: one entry, as it stands.
  await h.publish(
    { ...s.ticketIssued, eventId: randomUUID() },
    envelope('TicketRefunded', s.ids.ticketId, 3, {
      ticketId: s.ids.ticketId,
      ticketNumber: s.ids.ticketNumber,
      reservationId: s.ids.reservationId,
      paymentId: s.ids.paymentId,
      reason: 'Customer request',
      refundedAt: '2025-12-01T10:00:00.000Z',
    }),
  );
  const refunded = await eventually(async () => {
    const list = await client.listCustomerTickets({ customerId: s.ids.customerId });
    if (list.tickets[0]?.status !== 'Refunded') throw new Error('refund not listed yet');
    return list.tickets;
  });
  expect(refunded).toEqual([
    expect.objectContaining({
      id: s.ids.ticketId,
      usedAt: '2025-12-12T19:55:00.000Z',
      statusReason: 'Customer request',
    }),
  ]);
});

test('status codes: NOT_FOUND for unknown ids, INVALID_ARGUMENT for malformed requests', async () => {
  const notFound = await client.getTicket({ ticketId: 'no-such-ticket' }).catch((e: unknown) => e);
  expect(isGrpcError(notFound, GrpcStatus.NOT_FOUND)).toBe(true);
  const empty = await client.getPayment({ paymentId: '' }).catch((e: unknown) => e);
  expect(isGrpcError(empty, GrpcStatus.INVALID_ARGUMENT)).toBe(true);
  const badDate = await client.listShowtimes({ date: '12/12/2025' }).catch((e: unknown) => e);
  expect(isGrpcError(badDate, GrpcStatus.INVALID_ARGUMENT)).toBe(true);
  await expect(client.serving()).resolves.toBe(true);
});
