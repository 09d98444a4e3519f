/**
 * The MongoDB views. Only the subset FerretDB v1 implements (no transactions, no arrayFilters,
 * no change streams): single-document upserts and conditional updates, plain indexes.
 *
 * Collections are named per generation (`tickets_g3`): a rebuild fills generation N+1 while N keeps
 * answering, then flips the `read_meta` pointer (rebuild.ts).
 */
import {
  MongoServerError,
  type Collection,
  type Db,
  type Document,
  type Filter,
  type UpdateFilter,
} from 'mongodb';

import { VIEW_NAMES, type ViewName, type ViewWrite } from './projections';

export interface ViewDoc {
  _id: string;
  version?: number;
  stateChanges?: number;
  [field: string]: unknown;
}

interface AppliedDoc {
  _id: string;
  at: Date;
}

interface MetaDoc {
  _id: string;
  generation: number;
}

const INDEXES: Record<ViewName, Document[]> = {
  showtimes: [{ movieId: 1, startsDate: 1 }, { startsDate: 1 }],
  reservations: [{ showtimeId: 1 }],
  payments: [],
  tickets: [{ ticketNumber: 1 }, { customerId: 1 }],
  purchases: [],
};

const isDuplicateKey = (e: unknown) => e instanceof MongoServerError && e.code === 11000;

export class ViewStore {
  constructor(readonly db: Db) {}

  view(view: ViewName, generation: number): Collection<ViewDoc> {
    return this.db.collection<ViewDoc>(`${view}_g${generation}`);
  }

  private applied(generation: number): Collection<AppliedDoc> {
    return this.db.collection<AppliedDoc>(`applied_events_g${generation}`);
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

  async ensureIndexes(generation: number): Promise<void> {
    for (const view of VIEW_NAMES) {
      for (const keys of INDEXES[view]) await this.view(view, generation).createIndex(keys);
    }
  }

  async dropGeneration(generation: number): Promise<void> {
    const names = new Set(
      (await this.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name),
    );
    for (const name of [...VIEW_NAMES.map((v) => `${v}_g${generation}`), `applied_events_g${generation}`]) {
      if (names.has(name)) await this.db.dropCollection(name);
    }
  }

  /**
   * Applies one event's projection. Returns the document (for cache invalidation) or null when
   * the event id was applied before. The steps are each idempotent, so a crash between them is
   * repaired by the redelivery that follows (the offset is only committed after this returns).
   */
  async apply(write: ViewWrite, eventId: string, generation: number): Promise<ViewDoc | null> {
    if (await this.applied(generation).findOne({ _id: eventId })) return null;
    const views = this.view(write.view, generation);
    // Facts first, unconditionally: they are the same on every delivery (projections/types.ts).
    const setFacts = async () =>
      views.findOneAndUpdate(
        { _id: write.id },
        { $set: { ...write.facts } },
        { upsert: true, returnDocument: 'after' },
      );
    let doc: ViewDoc | null;
    try {
      doc = await setFacts();
    } catch (e) {
      // Two upserts of a new _id can race; the loser finds the document on a second try.
      if (!isDuplicateKey(e)) throw e;
      doc = await setFacts();
    }
    // State only from a newer version of the aggregate: a replayed older event changes nothing.
    const newer: Filter<ViewDoc> = {
      _id: write.id,
      $or: [{ version: { $lt: write.version } }, { version: { $exists: false } }],
    };
    // stateChanges counts the versions applied, so tests can see that none was applied twice.
    const update: UpdateFilter<Document> = {
      $set: { ...write.state, version: write.version },
      $inc: { stateChanges: 1 },
    };
    const res = await views.updateOne(newer, update as UpdateFilter<ViewDoc>);
    await this.applied(generation).updateOne(
      { _id: eventId },
      { $setOnInsert: { at: new Date() } },
      { upsert: true },
    );
    const merged: ViewDoc = { ...(doc ?? { _id: write.id }) };
    if (res.modifiedCount > 0) Object.assign(merged, write.state, { version: write.version });
    return merged;
  }

  async findById(view: ViewName, id: string, generation: number, maxTimeMS: number): Promise<ViewDoc | null> {
    return this.view(view, generation).findOne({ _id: id }, { maxTimeMS });
  }

  async find(
    view: ViewName,
    filter: Filter<ViewDoc>,
    generation: number,
    maxTimeMS: number,
    sort: Document = { _id: 1 },
  ): Promise<ViewDoc[]> {
    return this.view(view, generation).find(filter, { maxTimeMS }).sort(sort).limit(1000).toArray();
  }
}
