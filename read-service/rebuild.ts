/**
 * Rebuilds every view from the topic's beginning into a fresh generation of collections while
 * running read services keep answering from the current one, then swaps:
 *
 * 1. generation N+1: empty collections;
 * 2. replay from offset 0 up to the end offsets seen at the start (a private consumer group);
 * 3. point `read_meta` at N+1; running services pick it up within their poll interval, and from
 *    then on read, cache (cache keys carry the generation) and project into N+1;
 * 4. after two poll intervals, replay on up to the end offsets of that moment, which covers what
 *    running services projected into N while they had not yet seen the swap (applying an event
 *    twice, or next to a live consumer, is harmless: every view write is a commuting merge, store.ts);
 * 5. drop generation N.
 */
import type { Kafka, KafkaMessage } from 'kafkajs';

import { ViewConsumer, type BatchHandler } from './consumer';
import type { RecordOrigin } from './dead-letter';
import { Projector, type PoisonSink } from './projector';
import type { ViewStore } from './store';

export interface RebuildOptions {
  readonly topic: string;
  readonly groupIdPrefix: string;
  /** The services' generation poll interval (service.ts GENERATION_POLL_MS). */
  readonly generationPollMs: number;
  readonly log?: (message: string) => void;
}

export interface RebuildResult {
  readonly previous: number;
  readonly generation: number;
  readonly records: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poison was parked by the live consumer already; the rebuild only skips it. */
const skipPoison: PoisonSink = { park: async () => undefined };

export async function rebuildViews(
  kafka: Kafka,
  store: ViewStore,
  o: RebuildOptions,
): Promise<RebuildResult> {
  const log = o.log ?? (() => undefined);
  const previous = await store.activeGeneration();
  const generation = previous + 1;
  await store.dropGeneration(generation); // leftovers of an interrupted rebuild
  await store.ensureIndexes(generation);

  const done = new Map<number, string>(); // partition -> last offset handled
  let records = 0;
  const projector = new Projector({
    store,
    cache: null,
    deadLetters: skipPoison,
    generation: () => generation,
  });
  const track: BatchHandler = {
    handleBatch: async (messages: readonly KafkaMessage[], origin: RecordOrigin) => {
      await projector.handleBatch(messages, origin);
      const last = messages[messages.length - 1];
      if (last) done.set(origin.partition, last.offset);
      records += messages.length;
    },
  };
  const consumer = new ViewConsumer(kafka, track, {
    topic: o.topic,
    groupId: `${o.groupIdPrefix}-rebuild-g${generation}-${Date.now()}`,
    fromBeginning: true,
  });

  const admin = kafka.admin();
  await admin.connect();
  try {
    const caughtUp = async (targets: Map<number, bigint>) => {
      for (;;) {
        const behind = [...targets].filter(([p, high]) => {
          const last = done.get(p);
          return high > 0n && (last === undefined || BigInt(last) + 1n < high);
        });
        if (behind.length === 0) return;
        await sleep(100);
      }
    };
    const endOffsets = async () =>
      new Map((await admin.fetchTopicOffsets(o.topic)).map((p) => [p.partition, BigInt(p.high)] as const));

    const first = await endOffsets();
    log(`rebuilding generation ${generation} from ${o.topic} (previous ${previous})`);
    await consumer.start();
    await caughtUp(first);
    await store.setActiveGeneration(generation);
    log(`generation ${generation} active after ${records} records; catching up`);
    await sleep(2 * o.generationPollMs);
    await caughtUp(await endOffsets());
    await consumer.stop();
    await admin.deleteGroups([consumer.groupId]).catch(() => undefined);
    // Queries that read generation N just before the swap finish well within this, even when a
    // service's poll of the generation pointer was slow.
    await sleep(3 * o.generationPollMs);
    await store.dropGeneration(previous);
    log(`rebuild done: generation ${generation}, ${records} records, generation ${previous} dropped`);
    return { previous, generation, records };
  } catch (e) {
    await consumer.stop().catch(() => undefined);
    throw e;
  } finally {
    await admin.disconnect();
  }
}
