/** The relay's health from its metrics (activities/relay/metrics.ts): a sink down until a batch gets through. */
import { RelayMetrics } from '../../../activities/relay/metrics';

describe('relay health', () => {
  it('is Unhealthy naming the sink while it is down, and Healthy again after a delivered batch', () => {
    const metrics = new RelayMetrics();
    expect(metrics.health()).toEqual({
      status: 'Healthy',
      checks: { reporting: 'Healthy', kafka: 'Healthy', outbox: 'Healthy' },
    });
    metrics.recordOutage('reporting');
    expect(metrics.health()).toEqual({
      status: 'Unhealthy',
      checks: { reporting: 'Unhealthy', kafka: 'Healthy', outbox: 'Healthy' },
    });
    metrics.recordSinksUp();
    expect(metrics.health().status).toBe('Healthy');
  });
});
