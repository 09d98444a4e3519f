/**
 * The seat map of a sold-out premiere: every live hold and sale shows, however many there are (no
 * query truncates), and the public answer names seats and their state only, never the
 * reservation that holds them (a reservation id leads to its customer and from there to tickets).
 */
import { SeatState } from '../../../proto/gen/cinema/read/v1/read';
import type { ReadClient } from '../../../read-service/client';
import { seatMapView } from '../../../api/gateway/views';
import { createHarness, envelope, eventually, purchaseStory, type Harness } from './harness';

let h: Harness;
let client: ReadClient;

beforeAll(async () => {
  h = await createHarness('seatmap', 3);
  ({ client } = await h.start());
});

afterAll(async () => {
  await h?.close();
});

test('the public seat map shows row, number and state only', async () => {
  const s = purchaseStory();
  await h.publish(s.showtime, s.reservationCreated);
  const map = await eventually(async () => {
    const m = await client.getSeatMap({ showtimeId: s.ids.showtimeId });
    if (m.taken.length < 2) throw new Error('hold not projected yet');
    return m;
  });
  // Neither the gRPC answer nor the gateway's JSON carries the reservation (or anything else).
  const grpcText = JSON.stringify(map);
  expect(grpcText).not.toContain(s.ids.reservationId);
  expect(grpcText).not.toContain(s.ids.customerId);
  for (const t of map.taken) expect(Object.keys(t).sort()).toEqual(['seat', 'state']);
  const json = seatMapView(map);
  expect(json.taken).toEqual(s.seats.map((seat) => ({ ...seat, state: 'Held' })));
  expect(JSON.stringify(json)).not.toContain(s.ids.reservationId);
});

test('more than 1,000 live holds all show on the seat map and in the availability', async () => {
  const s = purchaseStory();
  const rows = 40;
  const perRow = 40; // 1,600 seats
  await h.publish({
    ...s.showtime,
    payload: { ...(s.showtime.payload as Record<string, unknown>), capacity: rows * perRow },
  });
  const holds = 1_200;
  const confirmed = 50;
  const events = [];
  for (let i = 0; i < holds; i++) {
    const seat = { row: 1 + Math.floor(i / perRow), number: 1 + (i % perRow) };
    const where = {
      reservationId: `${s.ids.reservationId}-${i}`,
      showtimeId: s.ids.showtimeId,
      seats: [seat],
    };
    events.push(
      envelope('ReservationCreated', where.reservationId, 1, {
        ...where,
        customerId: `${s.ids.customerId}-${i}`,
        totalAmountMinor: 1250,
        currency: 'USD',
        holdExpiresAt: '2099-01-01T00:00:00.000Z',
      }),
    );
    if (i < confirmed) {
      events.push(
        envelope('ReservationConfirmed', where.reservationId, 2, {
          ...where,
          customerId: `${s.ids.customerId}-${i}`,
          confirmedAt: '2025-01-08T12:00:03.000Z',
        }),
      );
    }
  }
  for (let i = 0; i < events.length; i += 500) await h.publish(...events.slice(i, i + 500));

  // A marker showtime on every partition, after the holds: once all three are visible, every
  // record before them has been projected (a partition is consumed in order).
  const markers = [0, 1, 2].map((partition) => {
    const marker = purchaseStory().showtime;
    return { partition, marker };
  });
  await h.producer.send({
    topic: h.topic.topic,
    messages: markers.map(({ partition, marker }) => ({
      partition,
      key: marker.aggregateId,
      value: JSON.stringify(marker),
    })),
  });
  for (const { marker } of markers) {
    await eventually(() => client.getShowtime({ showtimeId: marker.aggregateId }), 250);
  }
  const map = await client.getSeatMap({ showtimeId: s.ids.showtimeId });
  expect(map.taken).toHaveLength(holds);
  expect(map.availableSeats).toBe(rows * perRow - holds);
  expect(map.taken.filter((t) => t.state === SeatState.SEAT_STATE_SOLD)).toHaveLength(confirmed);
  const showtime = await client.getShowtime({ showtimeId: s.ids.showtimeId });
  expect(showtime).toMatchObject({
    availableSeats: rows * perRow - holds,
    heldSeats: holds - confirmed,
    soldSeats: confirmed,
  });
  const [listed] = (await client.listShowtimes({ movieId: s.ids.movieId, date: '2025-12-12' })).showtimes;
  expect(listed).toMatchObject({ id: s.ids.showtimeId, availableSeats: rows * perRow - holds });
}, 600_000);
