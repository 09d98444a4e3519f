/** A uniquely named MongoDB database per test file (FerretDB locally), dropped afterwards. */
import { MongoClient, type Db } from 'mongodb';
import { loadConfig, type Config } from '../../config';
import { uniqueName } from './unique';

export interface TestMongo {
  readonly client: MongoClient;
  readonly db: Db;
  /** Drops the database and closes the client. */
  close(): Promise<void>;
}

export async function createTestMongo(prefix: string, config: Config = loadConfig()): Promise<TestMongo> {
  const client = new MongoClient(config.MONGO_URL, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const db = client.db(uniqueName(`it_${prefix}`));
  return {
    client,
    db,
    close: async () => {
      try {
        await db.dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}
