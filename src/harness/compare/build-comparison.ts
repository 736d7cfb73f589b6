import type { Verdict } from '../checker/checker-types.ts';
import type { OperationStats, RunResults } from '../results/results-types.ts';
import { OPERATION_NAMES } from '../scenario/schema.ts';
import { betterForCount, keyCountsOf, labelOfCount, unitOfCount } from './check-counts.ts';
import {
  COMPARISON_SCHEMA_VERSION,
  type Better,
  type CheckComparison,
  type ComparedRun,
  type Comparison,
  type CountRow,
  type MetricName,
  type MetricTable,
  type MetricUnit,
  type RunToCompare,
} from './comparison-types.ts';
import { replicationFigures } from './replication-figures.ts';
import { scenarioDifferences } from './scenario-differences.ts';

// Runs side by side, from their results alone: a pure function, so comparison.json can be rebuilt
// from any set of results.json files (`faultline compare`) and renders can be snapshot-tested.

export const ALL_OPERATIONS = 'all operations';

interface MetricSpec {
  readonly metric: MetricName;
  readonly title: string;
  readonly unit: MetricUnit;
  readonly better: Better;
  readonly pick: (stats: OperationStats) => number;
}

const METRICS: readonly MetricSpec[] = [
  { metric: 'count', title: 'Operations', unit: 'count', better: 'none', pick: (s) => s.count },
  { metric: 'throughput', title: 'Throughput (ops/s)', unit: 'ops/s', better: 'higher', pick: (s) => s.throughput },
  { metric: 'p50', title: 'Latency p50 (ms)', unit: 'ms', better: 'lower', pick: (s) => s.latencyMs.p50 },
  { metric: 'p90', title: 'Latency p90 (ms)', unit: 'ms', better: 'lower', pick: (s) => s.latencyMs.p90 },
  { metric: 'p99', title: 'Latency p99 (ms)', unit: 'ms', better: 'lower', pick: (s) => s.latencyMs.p99 },
  { metric: 'p999', title: 'Latency p99.9 (ms)', unit: 'ms', better: 'lower', pick: (s) => s.latencyMs.p999 },
  { metric: 'max', title: 'Latency max (ms)', unit: 'ms', better: 'lower', pick: (s) => s.latencyMs.max },
  { metric: 'mean', title: 'Latency mean (ms)', unit: 'ms', better: 'lower', pick: (s) => s.latencyMs.mean },
  // fail: certainly did not happen; info: outcome unknown. Both are errors a customer saw.
  { metric: 'errors', title: 'Errors (fail + info)', unit: 'count', better: 'lower', pick: (s) => s.fail + s.info },
  { metric: 'fail', title: 'Failed', unit: 'count', better: 'lower', pick: (s) => s.fail },
  { metric: 'info', title: 'Outcome unknown (info)', unit: 'count', better: 'lower', pick: (s) => s.info },
];

export interface ComparisonOptions {
  /** Matrix variants that never ran, listed so a reader knows the table is partial. */
  readonly notRun?: readonly string[];
}

/** The figures shown per region: what a customer there experiences. */
const REGION_METRICS: readonly MetricName[] = ['throughput', 'p50', 'p99', 'errors'];

export function buildComparison(runs: readonly RunToCompare[], options: ComparisonOptions = {}): Comparison {
  const results = runs.map((run) => run.results);
  const regions = regionNames(results);
  const replication = replicationFigures(results);
  return {
    schemaVersion: COMPARISON_SCHEMA_VERSION,
    title: [...new Set(results.map((r) => r.scenario.name))].join(' vs ') || 'no runs',
    runs: runs.map(comparedRun),
    differences: scenarioDifferences(results.map((r) => r.resolvedScenario)),
    metrics: METRICS.map((spec) => metricTable(spec, results)),
    checks: checkNames(results).map((check) => compareCheck(check, results)),
    ...(replication.length === 0 ? {} : { replication }),
    ...(regions.length === 0 ? {} : { regions: regions.map((region) => compareRegion(region, results)) }),
    notRun: [...(options.notRun ?? [])],
  };
}

function comparedRun({ label, dir, results }: RunToCompare): ComparedRun {
  const { run, scenario } = results;
  return {
    label,
    dir,
    runId: run.id,
    scenario: scenario.name,
    seed: scenario.seed,
    status: run.status,
    ...(run.error === undefined ? {} : { error: run.error }),
    measuredMs: run.measuredMs,
  };
}

/** Operations any run measured, in the workload's own order (then any this version does not know). */
function operationNames(results: readonly RunResults[]): string[] {
  const seen = new Set(results.flatMap((r) => Object.keys(r.operations)));
  const known: readonly string[] = OPERATION_NAMES;
  return [...known.filter((name) => seen.has(name)), ...[...seen].filter((name) => !known.includes(name)).sort()];
}

type Figures = Pick<RunResults, 'operations' | 'totals'>;

function metricTable(spec: MetricSpec, results: readonly RunResults[], figuresOf: (r: RunResults) => Figures | undefined = (r) => r): MetricTable {
  const rows = operationNames(results).map((operation) => ({
    operation,
    values: results.map((r) => {
      const stats = (figuresOf(r)?.operations as Partial<Record<string, OperationStats>> | undefined)?.[operation];
      return stats ? finite(spec.pick(stats)) : null;
    }),
  }));
  const total = {
    operation: ALL_OPERATIONS,
    values: results.map((r) => {
      const totals = figuresOf(r)?.totals;
      return totals ? finite(spec.pick(totals)) : null;
    }),
  };
  return { metric: spec.metric, title: spec.title, unit: spec.unit, better: spec.better, rows, total };
}

/** Client regions of any run, in the order the runs declared them. */
function regionNames(results: readonly RunResults[]): string[] {
  return [...new Set(results.flatMap((r) => Object.keys(r.regions ?? {})))];
}

function compareRegion(region: string, results: readonly RunResults[]) {
  const specs = METRICS.filter((spec) => REGION_METRICS.includes(spec.metric));
  return { region, metrics: specs.map((spec) => metricTable(spec, results, (r) => r.regions?.[region])) };
}

/** results.json is read back from disk: a figure that is missing or not a number is no figure. */
function finite(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function checkNames(results: readonly RunResults[]): string[] {
  return [...new Set(results.flatMap((r) => Object.keys(r.checks)))].sort();
}

function compareCheck(check: string, results: readonly RunResults[]): CheckComparison {
  const verdicts = results.map((r): Verdict | null => r.checks[check]?.verdict ?? null);
  const countsOf = (r: RunResults) => r.checks[check]?.counts ?? {};
  const keys = keyCountsOf(check);
  const keyNames = new Set(keys.map((k) => k.name));
  const reported = new Set(results.flatMap((r) => Object.keys(countsOf(r))));
  const row = (name: string, label: string, key: boolean): CountRow => ({
    name,
    label,
    unit: unitOfCount(name),
    better: betterForCount(name),
    key,
    values: results.map((r) => (r.checks[check] ? finite(countsOf(r)[name]) : null)),
  });
  // A key count no run reported (no failover happened, so no failover time) has nothing to show.
  const keyRows = keys.filter((k) => reported.has(k.name)).map((k) => row(k.name, k.label, true));
  const otherRows = [...reported].filter((name) => !keyNames.has(name)).map((name) => row(name, labelOfCount(name), false));
  return { check, verdicts, counts: [...keyRows, ...otherRows] };
}
