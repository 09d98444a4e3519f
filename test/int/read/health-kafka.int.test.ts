/**
 * dependency.kafka on a private broker (test/int/relay/support/private-kafka.ts) that is stopped
 * and started again for real: NOT_SERVING while it is down (the others unaffected), SERVING again
 * once it is back, without restarting the read service.
 */
import type { ReadClient } from '../../../read-service/client';
import { READ_DEPENDENCIES, type ReadDependency } from '../../../read-service/health';
import { PrivateKafka } from '../relay/support/private-kafka';
import { createHarness, eventually, type Harness } from './harness';

jest.setTimeout(300_000);

let h: Harness;
let broker: PrivateKafka;
let client: ReadClient;

beforeAll(async () => {
  broker = await PrivateKafka.create();
  await broker.start();
  h = await createHarness('health_kafka', 1);
  ({ client } = await h.start({ kafkaBrokers: [broker.brokers], dependencyProbeMs: 100 }));
});

afterAll(async () => {
  await h?.close();
  await broker?.remove();
});

const states = async () =>
  Object.fromEntries(
    await Promise.all(
      READ_DEPENDENCIES.map(async (d) => [
        d,
        await client.dependency(d).then(
          () => true,
          () => false,
        ),
      ]),
    ),
  );

async function whenServing(name: ReadDependency, expected: boolean) {
  await eventually(async () => {
    const serving = await client.dependency(name).then(
      () => true,
      () => false,
    );
    if (serving !== expected) throw new Error(`${name} not yet ${expected}`);
  }, 200);
  return states();
}

test('Kafka stopped: only dependency.kafka NOT_SERVING; started again: SERVING', async () => {
  expect(await states()).toEqual({ kafka: true, redis: true, mongo: true });

  await broker.stop();
  expect(await whenServing('kafka', false)).toEqual({ kafka: false, redis: true, mongo: true });

  await broker.start();
  expect(await whenServing('kafka', true)).toEqual({ kafka: true, redis: true, mongo: true });
});
