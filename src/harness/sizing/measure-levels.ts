import path from 'node:path';
import type { VariantOutcome } from '../matrix/run-matrix.ts';
import type { RunResults } from '../results/results-types.ts';
import type { SizingGroupPlan } from './plan-sizing.ts';
import type { MeasuredLevel } from './sizing-types.ts';

// One group's levels as measured: the figures each run's results.json holds, per second of its
// measured phase. Only completed runs go into the fit; a failed or interrupted one is listed
// with its status, since its throughput covers an unknown part of the phase, and a harness-bound
// one with its mark, since its throughput measured faultline, not the database.

export function measureLevels(group: SizingGroupPlan, outcomes: readonly VariantOutcome[], sizingDir: string): MeasuredLevel[] {
  return group.levels.map(({ concurrency, variant }) => {
    const outcome = outcomes.find((o) => o.variant.index === variant.index);
    if (!outcome) return { concurrency, status: 'not-run', fitted: false };
    return { concurrency, ...figures(outcome.results), dir: path.relative(sizingDir, outcome.reportDir) || '.' };
  });
}

export function figures(results: RunResults): Omit<MeasuredLevel, 'concurrency'> {
  const status = results.run.status;
  const seconds = results.run.measuredMs / 1000;
  if (!(seconds > 0)) return { status, measuredMs: results.run.measuredMs, fitted: false };
  const checkout = results.operations.checkout;
  // cpu-contended too: the harness could not keep up there either (other processes had the CPU).
  const mark = results.marks?.find((m) => m === 'harness-bound' || m === 'cpu-contended');
  const harnessBound = mark ? { seconds: results.saturation?.harness.affected ?? '', mark } : undefined;
  return {
    status,
    measuredMs: results.run.measuredMs,
    ordersPerSecond: (checkout?.ok ?? 0) / seconds,
    okOpsPerSecond: results.totals.ok / seconds,
    completedOpsPerSecond: results.totals.throughput,
    ...(checkout ? { checkout: { ok: checkout.ok, fail: checkout.fail, info: checkout.info, p99Ms: checkout.latencyMs.p99 } } : {}),
    p99Ms: results.totals.latencyMs.p99,
    ...(harnessBound ? { harnessBound } : {}),
    fitted: status === 'completed' && !harnessBound,
  };
}
