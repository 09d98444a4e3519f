/**
 * The MongoDB views: one document per answer, read by `_id` alone. FerretDB v1 can use an index
 * only for a filter that is exactly `{_id: value}` (on SQLite only in the local build:
 * scripts/infra/services/ferretdb.ts), and implements no transactions, arrayFilters or
 * update pipelines, so every read and every write here filters on `_id` only.
 *
 * Writes are merges that commute: immutable facts are `$set` (the same value on every delivery),
 * and each aggregate version's state is `$set` under its own key (`states.v<version>`). Applying an event twice, or two events in any order, or two writers of one
 * document at once (a rebuild catching up next to the live consumer) all end in the same document,
 * so there is no applied-event table to consult and no version in any filter: the reader folds the
 * states in version order (views.ts).
 *
 * Collections are named per generation (`tickets_g3`): a rebuild fills generation N+1 while N keeps
 * answering, then flips the `read_meta` pointer (rebuild.ts).
 */
import { performance } from 'node:perf_hooks';

import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';

import { STORE_COLLECTIONS, setPaths, type StoreCollection } from './views';

export interface ViewDoc {
  _id: string;
  version?: number;
  [field: string]: unknown;
}

interface MetaDoc {
  _id: string;
  generation: number;
}

/**
 * Where a batch's time goes (the benchmark prints it): `stage` names a step of the projector or of
 * the store's writes, `items` how many records, documents or tags it handled.
 */
export interface StageListener {
  (stage: string, ms: number, items: number): void;
}

/**
 * FerretDB v1 holds one pooled connection (of 100 per database) for each update statement that
 * matched a document until its whole `update` command ends, so a command of more than about 99
 * updates to existing documents waits forever for a connection, and so do commands running next
 * to it. At most 50 updates in flight (two full commands) leave half the pool to queries, a
 * rebuild and a second replica; the small commands of a small batch (a document or two per
 * collection) then all go at once instead of two by two.
 */
export const UPDATES_PER_COMMAND = 25;
const UPDATES_IN_FLIGHT = 2 * UPDATES_PER_COMMAND;
/** findOneAndUpdate commands in flight beside them: a single statement holds one connection. */
const SINGLES_IN_FLIGHT = 8;

/** A bulk write and how many updates it holds (each may hold one of FerretDB's connections). */
interface Command {
  readonly updates: number;
  readonly run: () => Promise<void>;
}

/**
 * Runs `commands` in order, as many at once as keep their updates in flight within `budget` (one
 * at least); rejects with the first failure and starts none after it. Hand-written: a pool
 * library limits how many tasks run, not their weight.
 */
function withinBudget(commands: readonly Command[], budget: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let inFlight = 0;
    let failed = false;
    const pump = () => {
      if (failed) return;
      if (next === commands.length && inFlight === 0) return resolve();
      while (next < commands.length && (inFlight === 0 || inFlight + commands[next]!.updates <= budget)) {
        const command = commands[next++]!;
        inFlight += command.updates;
        command.run().then(
          () => {
            inFlight -= command.updates;
            pump();
          },
          (error: unknown) => {
            failed = true;
            reject(error);
          },
        );
      }
    };
    pump();
  });
}

/** The batch's updates, folded per collection and document id: the paths to `$set`. */
export type BatchWrites = Map<StoreCollection, Map<string, Record<string, unknown>>>;

/** Documents of one collection to write with findOneAndUpdate, for their state after the write. */
export interface ReadBack {
  readonly collection: StoreCollection;
  readonly ids: ReadonlySet<string>;
}

export interface WriteResult {
  /** The `readBack` documents as they stand after the write, by id. */
  readonly read: Map<string, ViewDoc>;
  /** Per collection, the ids of documents the bulk writes created. */
  readonly created: Map<StoreCollection, Set<string>>;
}

/** Writes merged into one while an earlier one is in flight (see write()). */
interface WriteGroup {
  readonly generation: number;
  readonly writes: BatchWrites;
  readonly readBack: Map<StoreCollection, Set<string>>;
  readonly result: Promise<WriteResult>;
}

export class ViewStore {
  /** The tail of this process's view writes (see write()). */
  private writing: Promise<unknown> = Promise.resolve();
  /** The group that has not started yet: writes asked for now join it. */
  private waiting: WriteGroup | null = null;

  constructor(readonly db: Db) {}

  collection(name: StoreCollection, generation: number): Collection<ViewDoc> {
    return this.db.collection<ViewDoc>(`${name}_g${generation}`);
  }

  private meta(): Collection<MetaDoc> {
    return this.db.collection<MetaDoc>('read_meta');
  }

  async activeGeneration(maxTimeMS?: number): Promise<number> {
    const doc = await this.meta().findOne({ _id: 'active' }, maxTimeMS ? { maxTimeMS } : {});
    return doc?.generation ?? 1;
  }

  async setActiveGeneration(generation: number): Promise<void> {
    await this.meta().updateOne({ _id: 'active' }, { $set: { generation } }, { upsert: true });
  }

  /** Every query is by `_id`, which is always indexed: no other index to build. */
  async ensureIndexes(_generation: number): Promise<void> {}

  async dropGeneration(generation: number): Promise<void> {
    const names = new Set(
      (await this.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name),
    );
    // applied_events: the per-event dedupe table of older builds, dropped with its generation.
    for (const name of [...STORE_COLLECTIONS, 'applied_events'].map((c) => `${c}_g${generation}`)) {
      if (names.has(name)) await this.db.dropCollection(name);
    }
  }

  /**
   * Unordered bulk writes of at most UPDATES_PER_COMMAND updates each, at most COMMANDS_IN_FLIGHT
   * at a time. The documents of `readBack` are each written with findOneAndUpdate instead (up to
   * SINGLES_IN_FLIGHT at a time), which answers with the document as it stands after the write
   * (one command where an update and a read would be two); they are returned by id, beside the
   * ids of the documents the bulk writes created (upserted), per collection.
   *
   * Batches of different partitions write one after the other: FerretDB v1 applies an update as
   * read, modify, write back without locking the document, so two concurrent `$set`s on one
   * showtime (its claims come from every partition) could lose one; MongoDB would not need this.
   * The batches that arrive while a write is in flight are merged into the next one (their
   * `$set`s commute), so under load the writes grow instead of queueing one by one. A caller gets
   * its own `readBack` documents; a failed write fails every batch in it, and each is retried. A
   * merged write is timed for the `onStage` of the batch that opened it (the projector passes one).
   */
  write(
    writes: BatchWrites,
    generation: number,
    onStage?: StageListener,
    readBack?: ReadBack,
  ): Promise<WriteResult> {
    const group =
      this.waiting?.generation === generation ? this.waiting : this.nextGroup(generation, onStage);
    for (const [name, docs] of writes)
      for (const [id, paths] of docs) setPaths(group.writes, name, id, paths);
    if (readBack) {
      const ids = group.readBack.get(readBack.collection) ?? new Set<string>();
      for (const id of readBack.ids) ids.add(id);
      group.readBack.set(readBack.collection, ids);
    }
    return group.result.then(({ read, created }) => ({
      read: new Map([...read].filter(([id]) => readBack?.ids.has(id))),
      created,
    }));
  }

  /** A group that starts once the write before it ended, with whatever joined it by then. */
  private nextGroup(generation: number, onStage: StageListener | undefined): WriteGroup {
    const writes: BatchWrites = new Map();
    const readBack = new Map<StoreCollection, Set<string>>();
    const result = this.writing.then(() => {
      if (this.waiting === group) this.waiting = null;
      return this.writeNow(writes, generation, onStage, readBack);
    });
    const group: WriteGroup = { generation, writes, readBack, result };
    this.writing = result.catch(() => undefined);
    this.waiting = group;
    return group;
  }

  private async writeNow(
    writes: BatchWrites,
    generation: number,
    onStage: StageListener | undefined,
    readBack: ReadonlyMap<StoreCollection, ReadonlySet<string>>,
  ): Promise<WriteResult> {
    const read = new Map<string, ViewDoc>();
    const created = new Map<StoreCollection, Set<string>>();
    const commands: Command[] = [];
    const singles: (() => Promise<void>)[] = [];
    const timed = (stage: string, items: number, run: () => Promise<unknown>) => async () => {
      const started = performance.now();
      await run();
      onStage?.(stage, performance.now() - started, items);
    };
    for (const [name, docs] of writes) {
      const collection = this.collection(name, generation);
      const ops: AnyBulkWriteOperation<ViewDoc>[] = [];
      for (const [id, set] of docs) {
        if (readBack.get(name)?.has(id)) {
          singles.push(
            timed(`findOneAndUpdate ${name}`, 1, async () => {
              const doc = await collection.findOneAndUpdate(
                { _id: id },
                { $set: set },
                { upsert: true, returnDocument: 'after' },
              );
              if (doc) read.set(id, doc);
            }),
          );
        } else {
          ops.push({ updateOne: { filter: { _id: id }, update: { $set: set }, upsert: true } });
        }
      }
      const upserted = new Set<string>();
      created.set(name, upserted);
      for (let i = 0; i < ops.length; i += UPDATES_PER_COMMAND) {
        const chunk = ops.slice(i, i + UPDATES_PER_COMMAND);
        commands.push({
          updates: chunk.length,
          run: timed(`bulkWrite ${name}`, chunk.length, async () => {
            const result = await collection.bulkWrite(chunk, { ordered: false });
            for (const id of Object.values(result.upsertedIds)) upserted.add(String(id));
          }),
        });
      }
    }
    const pool = (queue: (() => Promise<void>)[], size: number) => {
      let next = 0;
      const worker = async () => {
        for (let c = queue[next++]; c; c = queue[next++]) await c();
      };
      return Array.from({ length: size }, worker);
    };
    await Promise.all([withinBudget(commands, UPDATES_IN_FLIGHT), ...pool(singles, SINGLES_IN_FLIGHT)]);
    return { read, created };
  }

  async findById(
    name: StoreCollection,
    id: string,
    generation: number,
    maxTimeMS?: number,
  ): Promise<ViewDoc | null> {
    return this.collection(name, generation).findOne({ _id: id }, maxTimeMS ? { maxTimeMS } : {});
  }
}
