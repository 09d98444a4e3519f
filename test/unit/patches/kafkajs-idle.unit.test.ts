/**
 * patches/kafkajs+2.2.4.patch: a kafkajs connection with nothing pending arms no timer. Unpatched,
 * the check that runs after every answer re-armed itself every millisecond, forever, on every
 * connection of every process holding a Kafka client (the relay, the read service).
 */
// kafkajs ships no types for its network internals, and the patched class is one of them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  destroy(): void;
};

const logger = { debug() {}, info() {}, warn() {}, error() {} };
const queue = () =>
  new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 1000,
    clientId: 'test',
    broker: 'b:9092',
    logger,
  });

it('an idle connection arms no timer after an answer', () => {
  const q = queue();
  q.checkPendingRequests(); // what every answer from the broker ends with
  expect(q.throttleCheckTimeoutId).toBeNull();
  q.destroy();
});

it('a request waiting out a broker throttle still gets its check', () => {
  const q = queue();
  q.throttledUntil = Date.now() + 60_000;
  q.pending.push({ correlationId: 1 });
  q.scheduleCheckPendingRequests();
  expect(q.throttleCheckTimeoutId).not.toBeNull();
  q.destroy();
});
