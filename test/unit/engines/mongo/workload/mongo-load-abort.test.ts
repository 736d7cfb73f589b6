import type { Db } from 'mongodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Workload as WorkloadSchema } from '../../../../../src/harness/scenario/schema.ts';
import { loadDocuments } from '../../../../../src/engines/mongo/workload/load-documents.ts';
import { createMongoEcommerceWorkload } from '../../../../../src/engines/mongo/workload/mongo-workload.ts';

// Ctrl-C during a MongoDB dataset load: no mongod here, so a fake database takes the inserts.
// What is tested is the loader's own logic: it stops between batches once the signal aborts.

function fakeDb(insertMs = 1) {
  const inserted: { collection: string; documents: number }[] = [];
  const db = {
    collection: (collection: string) => ({
      insertMany: async (documents: unknown[]) => {
        await sleep(insertMs);
        inserted.push({ collection, documents: documents.length });
        return { insertedCount: documents.length };
      },
    }),
  } as unknown as Db;
  return { db, inserted };
}

/** A collection far too large to load: only an abort ends it. */
const endless = {
  collection: 'customers' as const,
  *documents() {
    for (let id = 1; ; id++) yield { _id: id, name: `customer ${id}` };
  },
};

describe('MongoDB dataset load', () => {
  it('loads every batch when nothing aborts it', async () => {
    const { db, inserted } = fakeDb();
    const small = { collection: 'products' as const, *documents() { for (let id = 1; id <= 2_500; id++) yield { _id: id }; } };
    const summary = await loadDocuments(db, [small], { w: 'majority' }, new AbortController().signal);
    expect(summary.rows).toEqual({ products: 2_500 });
    expect(inserted.map((i) => i.documents)).toEqual([1_000, 1_000, 500]);
  });

  it('stops before the next batch once the signal aborts, however much is left', async () => {
    const { db, inserted } = fakeDb();
    const controller = new AbortController();
    const loading = loadDocuments(db, [endless], { w: 'majority' }, controller.signal);
    while (inserted.length < 3) await sleep(1);
    controller.abort();
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
    const batches = inserted.length;
    await sleep(50);
    expect(inserted.length).toBe(batches);
  });

  it('does not start when the signal has already aborted', async () => {
    const { db, inserted } = fakeDb();
    await expect(loadDocuments(db, [endless], { w: 'majority' }, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    expect(inserted).toEqual([]);
  });

  it("the MongoDB workload's load hands the signal to the loader", async () => {
    // Slow inserts: the default dataset is several batches, so the abort comes before its end.
    const { db, inserted } = fakeDb(20);
    const workload = createMongoEcommerceWorkload({ ...WorkloadSchema.parse({}) }, 1);
    const controller = new AbortController();
    const loading = workload.loadDataset(db, controller.signal);
    while (inserted.length < 1) await sleep(1);
    controller.abort();
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
  });
});
