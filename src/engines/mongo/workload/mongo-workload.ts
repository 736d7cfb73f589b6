import type { Db } from 'mongodb';
import type { WorkloadSpec } from '../../../harness/scenario/schema.ts';
import { createGenerator } from '../../../harness/workload/ecommerce/generator.ts';
import { operationMix } from '../../../harness/workload/ecommerce/operation-mix.ts';
import type { Workload } from '../../../harness/workload/workload-types.ts';
import type { MongoWorkerContext } from '../driver/mongo-worker-connection.ts';
import { PRIMARY_LOST } from './classify-mongo-error.ts';
import { createSchemaMongo } from './collections-mongo.ts';
import { datasetDocuments } from './dataset-documents.ts';
import { COLLECTIONS } from './documents.ts';
import { loadDocuments } from './load-documents.ts';
import { executeEcommerceMongo } from './operations-mongo.ts';

/**
 * The e-commerce workload, MongoDB dialect: the same generator (same seed, same operations in
 * the same order), the same history values, documents instead of rows. Schema and load take the
 * database; operations take a worker's context.
 */
export function createMongoEcommerceWorkload(spec: WorkloadSpec, seed: number): Workload<MongoWorkerContext, Db> {
  const mix = operationMix(spec);
  const options = { cartExpiryMs: spec.cartExpiry };
  return {
    createSchema: (db) => createSchemaMongo(db, COLLECTIONS),
    loadDataset: (db, signal) => loadDocuments(db, datasetDocuments(spec.dataset, seed, spec.cartExpiry), { w: 'majority' }, signal),
    generator: (worker, workers) => createGenerator(spec, seed, mix, worker, workers),
    async execute(op, ctx) {
      if (ctx.session && ctx.causal) ctx.causal.advance(ctx.session);
      const result = await executeEcommerceMongo(op, ctx, options);
      if (ctx.session && ctx.causal) ctx.causal.capture(ctx.session);
      if (result.type !== 'ok' && PRIMARY_LOST.has(result.error)) ctx.primaryLost();
      return result;
    },
  };
}
