import type { Scenario } from '../../harness/scenario/schema.ts';
import { createEcommerceWorkload } from '../../harness/workload/ecommerce/ecommerce-workload.ts';
import type { ThreadWorkloadRecipe, Workload } from '../../harness/workload/workload-types.ts';

// A load thread's PostgreSQL workload: the e-commerce workload is a pure function of the scenario's
// workload and seed, so each thread builds its own, equal to the run's (generators seeded per worker).

interface PgThreadData {
  readonly workload: Scenario['workload'];
  readonly seed: number;
}

export function pgThreadWorkload(scenario: Scenario): ThreadWorkloadRecipe {
  return { module: import.meta.url, data: { workload: scenario.workload, seed: scenario.seed } satisfies PgThreadData };
}

/** Called in the load thread (load-thread-main.ts). */
export function createThreadWorkload(data: unknown): Workload<unknown, unknown> {
  const { workload, seed } = data as PgThreadData;
  return createEcommerceWorkload(workload, seed) as Workload<unknown, unknown>;
}
