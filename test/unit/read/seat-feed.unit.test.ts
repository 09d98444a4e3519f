/** Which projected documents announce a seat change, and on which channel (read-service/seat-feed.ts). */
import { seatChannel, showtimeIdsOfChange } from '../../../read-service/seat-feed';

describe('seat feed', () => {
  it("announces a reservation's showtime: holds, sales, releases and expiries change its seat map", () => {
    expect(
      showtimeIdsOfChange('reservations', { _id: 'r-1', showtimeId: 'st-1', status: 'Pending' }),
    ).toEqual(['st-1']);
  });

  it('announces nothing for views that hold no seats, or a reservation without its showtime yet', () => {
    expect(showtimeIdsOfChange('tickets', { _id: 't-1', showtimeId: 'st-1' })).toEqual([]);
    expect(showtimeIdsOfChange('showtimes', { _id: 'st-1' })).toEqual([]);
    expect(showtimeIdsOfChange('reservations', { _id: 'r-1', status: 'Expired' })).toEqual([]);
  });

  it("names one channel per showtime under the stack's key prefix", () => {
    expect(seatChannel('read:', 'st-1')).toBe('read:seats:st-1');
    expect(seatChannel('e2e-a:', 'st-1')).not.toBe(seatChannel('e2e-b:', 'st-1'));
  });
});
