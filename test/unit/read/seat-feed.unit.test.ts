/** The pub/sub channel of a showtime's seat changes (read-service/seat-feed.ts). */
import { seatChannel } from '../../../read-service/seat-feed';

describe('seat feed', () => {
  it("names one channel per showtime under the stack's key prefix", () => {
    expect(seatChannel('read:', 'st-1')).toBe('read:seats:st-1');
    expect(seatChannel('e2e-a:', 'st-1')).not.toBe(seatChannel('e2e-b:', 'st-1'));
  });
});
