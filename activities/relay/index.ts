/** The outbox relay's activities and the resources the relay worker builds them from. */
export {
  createRelayActivities,
  heartbeatIntervalMs,
  type RelayActivities,
  type RelayDependencies,
} from './activities';
export { ensureTopic } from '../../providers/kafka/topic';
export { PublisherPool, ShardPublisher, type Publisher } from './kafka-publisher';
export { RelayMetrics, type MetricsSnapshot } from './metrics';
export type * from './types';
