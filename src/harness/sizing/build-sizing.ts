import type { VariantOutcome } from '../matrix/run-matrix.ts';
import { measureLevels } from './measure-levels.ts';
import type { SizingGroupPlan, SizingPlan } from './plan-sizing.ts';
import { sizeUnits } from './size-units.ts';
import { assumptionsFor, provenanceFor, warningsFor } from './sizing-assumptions.ts';
import { SIZING_SCHEMA_VERSION, type MeasuredLevel, type SeriesFit, type SeriesName, type SizingGroup, type SizingReport } from './sizing-types.ts';
import { fitUsl, UslFitError } from './usl-fit.ts';
import { uslPeak } from './usl-model.ts';

// From the level runs to sizing.json: per group (one unit), the measured levels, a USL fit of
// orders/s and of ok operations/s, and the units a target needs. Pure: no clock, no files.

export interface SizingRun {
  readonly runId: string;
  /** The sizing folder; level folders are given relative to it. */
  readonly dir: string;
  /** The scenario file as the user named it. */
  readonly file: string;
  readonly outcomes: readonly VariantOutcome[];
}

const UNITS: Record<SeriesName, string> = { orders: 'orders/s', operations: 'ok operations/s' };

export function buildSizing(plan: SizingPlan, run: SizingRun): SizingReport {
  const groups = plan.groups.map((group) => buildGroup(plan, group, run));
  const first = run.outcomes[0]?.results;
  const scenario = plan.matrix.variants[0]!.scenario;
  const partial = {
    schemaVersion: SIZING_SCHEMA_VERSION,
    scenario: { name: scenario.name, seed: plan.matrix.seed, file: run.file },
    runId: run.runId,
    levels: plan.levels,
    durationMs: plan.durationMs,
    warmupMs: plan.warmupMs,
    targetOrdersPerSecond: plan.target,
    operatingPoint: plan.operatingPoint,
    cpus: first?.environment.cpus ?? null,
    groups,
  };
  return {
    ...partial,
    assumptions: assumptionsFor(partial, scenario, plan.scenarioLoop),
    provenance: provenanceFor(partial),
    warnings: warningsFor(partial, scenario),
  };
}

function buildGroup(plan: SizingPlan, group: SizingGroupPlan, run: SizingRun): SizingGroup {
  const levels = measureLevels(group, run.outcomes, run.dir);
  const results = run.outcomes.find((o) => group.levels.some((l) => l.variant.index === o.variant.index))?.results;
  const unit = results ? { kind: results.topology.kind, nodes: results.topology.nodes.map((node) => node.name) } : null;
  const refusal = harnessBoundRefusal(levels);
  const orders: SeriesFit = refusal ? { kind: 'not-fitted', series: 'orders', unit: UNITS.orders, reason: refusal } : fitSeries('orders', levels, (l) => l.ordersPerSecond);
  const operations: SeriesFit = refusal ? { kind: 'not-fitted', series: 'operations', unit: UNITS.operations, reason: refusal } : fitSeries('operations', levels, (l) => l.okOpsPerSecond);
  const fittedLevels = levels.filter((l) => l.fitted);
  const best = fittedLevels.reduce<MeasuredLevel | undefined>((top, l) => ((l.ordersPerSecond ?? 0) > (top?.ordersPerSecond ?? -1) ? l : top), undefined);
  const sizing =
    plan.target !== null && orders.kind === 'fitted' && best
      ? sizeUnits({
          target: plan.target,
          operatingPoint: plan.operatingPoint,
          fit: orders.parameters,
          best: { concurrency: best.concurrency, throughput: best.ordersPerSecond ?? 0 },
          maxMeasuredConcurrency: Math.max(...fittedLevels.map((l) => l.concurrency)),
          nodesPerUnit: unit?.nodes.length ?? 1,
        })
      : null;
  return { label: group.label, values: group.values, unit, levels, orders, operations, sizing };
}

/**
 * No peak is called once any level was harness-bound: from there on the curve bends because
 * faultline ran out of event loop, and a fit would put that bend down to the database.
 */
export function harnessBoundRefusal(levels: readonly MeasuredLevel[]): string | undefined {
  const bound = levels.filter((l) => l.harnessBound);
  if (bound.length === 0) return undefined;
  const which = bound.map((l) => `N=${l.concurrency} (seconds ${l.harnessBound!.seconds}${l.harnessBound!.mark === 'cpu-contended' ? ', starved by other processes' : ''})`).join(', ');
  return (
    `no peak is called: the harness was saturated at ${which}, so throughput there measured faultline's load generator, not the database; ` +
    'measure on a machine where the harness keeps up (its own cores, or the database on another machine) before sizing from these levels'
  );
}

function fitSeries(series: SeriesName, levels: readonly MeasuredLevel[], value: (level: MeasuredLevel) => number | undefined): SeriesFit {
  const unit = UNITS[series];
  const points = levels.filter((l) => l.fitted && value(l) !== undefined).map((l) => ({ concurrency: l.concurrency, throughput: value(l)! }));
  const left = levels.filter((l) => !l.fitted).map((l) => `N=${l.concurrency} ${l.status}`);
  try {
    const fit = fitUsl(points);
    const peak = uslPeak(fit.parameters);
    const maxN = Math.max(...points.map((p) => p.concurrency));
    return {
      kind: 'fitted',
      series,
      unit,
      parameters: fit.parameters,
      quality: fit.quality,
      peak,
      peakExtrapolated: peak.kind !== 'peak' || peak.concurrency > maxN,
      fitted: points.map((p, i) => ({ concurrency: p.concurrency, measured: p.throughput, fitted: fit.fitted[i]! })),
    };
  } catch (error) {
    if (!(error instanceof UslFitError)) throw error;
    const reason = left.length > 0 ? `${error.message}; left out: ${left.join(', ')}` : error.message;
    return { kind: 'not-fitted', series, unit, reason };
  }
}
