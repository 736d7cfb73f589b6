import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { CHECK_NAMES, OPERATION_NAMES } from '../../../src/harness/scenario/schema.ts';
import { DEFAULT_WEIGHTS } from '../../../src/harness/workload/ecommerce/operation-mix.ts';
import { SCENARIOS } from './fixtures.ts';

describe('scenarios/quickstart.yaml', () => {
  it('is valid and says what the brief asks for', async () => {
    const { scenario } = await loadScenario(`${SCENARIOS}quickstart.yaml`);
    expect(scenario).toMatchObject({
      name: 'quickstart',
      seed: 42,
      topology: { kind: 'pg-single-leader', replicas: 2, replication: 'async' },
      workload: {
        dataset: { customers: 2000, products: 500 },
        duration: 20_000,
        warmup: 3_000,
        loop: { kind: 'closed', concurrency: 8 },
      },
      checks: [...CHECK_NAMES],
    });
    expect(scenario.description).not.toContain('\n');
  });

  it('runs every operation, with the browsing reads on the replicas', async () => {
    const { scenario } = await loadScenario(`${SCENARIOS}quickstart.yaml`);
    const operations = scenario.workload.operations ?? {};
    // Every operation of the default mix; browse-price (weight 0 by default) only demonstrates partitioning.
    for (const name of OPERATION_NAMES.filter((f) => DEFAULT_WEIGHTS[f] > 0)) expect(operations[name]?.weight, name).toBeGreaterThan(0);
    const onReplicas = OPERATION_NAMES.filter((name) => operations[name]?.readFrom === 'replicas');
    // A customer's own orders are read from the primary (read-your-writes); the catalogue from the replicas.
    expect(onReplicas.sort()).toEqual(['browse-category', 'view-product']);
  });
});
