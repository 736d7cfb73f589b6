import type { VariantOutcome } from '../../../src/harness/matrix/run-matrix.ts';
import type { RunResults, RunStatus } from '../../../src/harness/results/results-types.ts';
import type { SizingPlan } from '../../../src/harness/sizing/plan-sizing.ts';
import { completedRun } from '../report/fixtures.ts';

// Level runs as runMatrix would return them, with chosen throughputs: the report fixture's run,
// its measured phase, checkouts and totals rewritten so orders/s and ok ops/s are exact.

export interface LevelFigures {
  readonly ordersPerSecond: number;
  readonly okOpsPerSecond: number;
  readonly status?: RunStatus;
}

export function levelResults({ ordersPerSecond, okOpsPerSecond, status = 'completed' }: LevelFigures): RunResults {
  const base = completedRun();
  const seconds = 10;
  const checkout = base.operations.checkout!;
  return {
    ...base,
    run: { ...base.run, status, measuredMs: seconds * 1000 },
    operations: { ...base.operations, checkout: { ...checkout, ok: ordersPerSecond * seconds, fail: 2, info: 1 } },
    totals: { ...base.totals, ok: okOpsPerSecond * seconds, throughput: okOpsPerSecond + 1 },
  };
}

/** One outcome per planned variant, in run order, while `figures` has an entry for it. */
export function outcomesFor(plan: SizingPlan, figures: readonly LevelFigures[], dir = '/reports/x-sizing/run'): VariantOutcome[] {
  return plan.matrix.variants.slice(0, figures.length).map((variant, i) => ({
    variant,
    results: levelResults(figures[i]!),
    reportDir: `${dir}/${variant.slug}`,
  }));
}
