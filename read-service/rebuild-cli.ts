/** `npm run read:rebuild`: rebuild every view from the events topic (rebuild.ts) and exit. */
import { MongoClient } from 'mongodb';

import { loadConfig } from '../config';
import { rebuildViews } from './rebuild';
import { GENERATION_POLL_MS, readKafka, readServiceOptions } from './service';
import { ViewStore } from './store';

async function main(): Promise<void> {
  const o = readServiceOptions(loadConfig());
  const mongo = new MongoClient(o.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  await mongo.connect();
  try {
    const result = await rebuildViews(readKafka(o), new ViewStore(mongo.db()), {
      topic: o.topic,
      groupIdPrefix: o.groupId,
      generationPollMs: GENERATION_POLL_MS,
      log: (m) => console.log(m),
    });
    console.log(JSON.stringify(result));
  } finally {
    await mongo.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
