import type { Workload } from '../workload-types.ts';
import { loadTables } from './copy-load.ts';
import { datasetTables } from './dataset.ts';
import { createGenerator } from './generator.ts';
import { operationMix } from './operation-mix.ts';
import { DEFAULT_PROTOCOLS, executeEcommercePg } from './operations-pg.ts';
import { OPERATION_NAMES, type OperationName, type WorkloadSpec } from '../../scenario/schema.ts';
import type { StatementProtocol } from '../statements/statement-protocol.ts';
import { createSchemaPg } from './schema-pg.ts';

export { firstWorkloadOrderId, historicalOrderCount } from './seeded-facts.ts';

/**
 * The e-commerce workload, PostgreSQL dialect. Throws at once when the spec cannot run (no
 * operation with a positive weight), so a bad scenario fails before any server starts.
 */
export function createEcommerceWorkload(spec: WorkloadSpec, seed: number): Workload {
  // Built once: zipfian constants and scrambles are O(keys), and every worker shares them.
  const mix = operationMix(spec);
  const protocols = statementProtocols(spec);
  return {
    createSchema: (client) => createSchemaPg(client),
    loadDataset: (client, signal) => loadTables(client, datasetTables(spec.dataset, seed), signal),
    generator: (worker, workers, scope) => createGenerator(spec, seed, mix, worker, workers, scope?.customerRegions),
    execute: (op, client) => executeEcommercePg(op, client, protocols),
  };
}

/** Each operation's protocol: the scenario's choice, else the measured default. */
function statementProtocols(spec: WorkloadSpec): Record<OperationName, StatementProtocol> {
  return Object.fromEntries(OPERATION_NAMES.map((f) => [f, spec.operations?.[f]?.protocol ?? DEFAULT_PROTOCOLS[f]])) as Record<OperationName, StatementProtocol>;
}
