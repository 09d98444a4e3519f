/**
 * Every read and write of a view is by `_id` (store.ts), so the local FerretDB must answer those
 * from its `_id` index, or each costs a scan of the collection and the projection slows down as
 * the views grow. FerretDB v1.24's SQLite backend indexes `_id` under one SQL expression and
 * filters on another, which SQLite does not match, so the index went unused; the local build
 * corrects the filter (scripts/infra/services/ferretdb.ts). The query plan comes from FerretDB's
 * `explain`, which runs SQLite's EXPLAIN QUERY PLAN on the statement a find would run.
 */
import { createTestMongo, type TestMongo } from '../../support/mongo';

let mongo: TestMongo;

beforeAll(async () => {
  mongo = await createTestMongo('read_id_index');
});

afterAll(async () => {
  await mongo?.close();
});

test('a lookup by _id is answered from the _id index', async () => {
  const tickets = mongo.db.collection<{ _id: string; n: number }>('tickets_g1');
  await tickets.insertMany(Array.from({ length: 50 }, (_, n) => ({ _id: `ticket-${n}`, n })));

  const plan = JSON.stringify(await tickets.find({ _id: 'ticket-7' }).explain());

  expect(plan).toMatch(/USING (COVERING )?INDEX/);
  expect(plan).not.toMatch(/SCAN/);
});
