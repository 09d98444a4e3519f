/** A fresh, uniquely named PostgreSQL database per test file, dropped afterwards. */
import { Client } from 'pg';
import { loadConfig, type Config } from '../../config';
import { uniqueName } from './unique';

export interface TestDatabase {
  /** The database's name, e.g. it_orders_m1x2_ab12cd34. */
  readonly name: string;
  /** WRITE_DB_URL with the database swapped for this one. */
  readonly url: string;
  /** Drops it, closing whatever connections are still open to it. */
  drop(): Promise<void>;
}

/** On the server of WRITE_DB_URL (PostgreSQL only): `const db = await createTestDatabase('orders')`. */
export async function createTestDatabase(
  prefix: string,
  config: Config = loadConfig(),
): Promise<TestDatabase> {
  const server = new URL(config.WRITE_DB_URL);
  if (!server.protocol.startsWith('postgres')) {
    throw new Error(`createTestDatabase needs a postgres:// WRITE_DB_URL, got ${server.protocol}`);
  }
  const name = uniqueName(`it_${prefix}`);
  await withMaintenanceDb(server, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(server.href);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.href,
    drop: () => withMaintenanceDb(server, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

/** Runs statements on the server's `postgres` database (CREATE/DROP DATABASE cannot run inside the target). */
async function withMaintenanceDb(server: URL, body: (client: Client) => Promise<unknown>): Promise<void> {
  const maintenance = new URL(server.href);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.href });
  await client.connect();
  try {
    await body(client);
  } finally {
    await client.end();
  }
}
