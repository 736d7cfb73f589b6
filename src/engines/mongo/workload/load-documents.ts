import type { Db, WriteConcern } from 'mongodb';
import type { DatasetSummary } from '../../../harness/workload/workload-types.ts';
import type { CollectionData } from './dataset-documents.ts';

const BATCH = 1_000;

/**
 * Inserts the dataset in batches (unordered: the server may apply a batch in parallel), with a
 * majority write concern so every member has the shop before the first operation runs. Each
 * batch's insert hands the event loop back, and an abort (Ctrl-C) stops the load before the next
 * batch: the driver cannot cancel an insert under way, and the caller stops waiting for it.
 */
export async function loadDocuments(
  db: Db,
  collections: readonly CollectionData[],
  writeConcern: WriteConcern,
  signal?: AbortSignal,
): Promise<DatasetSummary> {
  const started = performance.now();
  const rows: Record<string, number> = {};
  for (const { collection, documents } of collections) {
    let batch: Record<string, unknown>[] = [];
    let count = 0;
    const flush = async () => {
      signal?.throwIfAborted();
      if (batch.length === 0) return;
      await db.collection(collection).insertMany(batch, { ordered: false, writeConcern });
      count += batch.length;
      batch = [];
    };
    for (const doc of documents()) {
      signal?.throwIfAborted();
      batch.push(doc);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    rows[collection] = count;
  }
  return { rows, loadMs: Math.round(performance.now() - started) };
}
