import type { Verdict } from '../checker/checker-types.ts';
import type { RunResults, RunStatus } from '../results/results-types.ts';

// comparison.json: several runs side by side, built only from their results.json. Every `values`
// list is aligned with `runs` (values[i] belongs to runs[i]), so a table is one row per entry and
// a grouped bar chart is one group per row with one bar per run. Renderers (comparison.md, and
// later comparison.html) read this and nothing else. Fields are only ever added.

export const COMPARISON_SCHEMA_VERSION = 1;

/** A number, or null where the run has no such figure (an operation it did not run, a check it skipped). */
export type Cell = number | null;

export type MetricUnit = 'ms' | 'ops/s' | 'count';
/** Which way is better, for renderers that highlight; 'none' when neither is (a count of reads). */
export type Better = 'lower' | 'higher' | 'none';

export interface ComparedRun {
  /** Column heading: what sets this run apart, e.g. "replication=sync". */
  readonly label: string;
  /** The run's report folder, relative to the folder the comparison was written to. */
  readonly dir: string;
  readonly runId: string;
  readonly scenario: string;
  readonly seed: number;
  readonly status: RunStatus;
  readonly error?: string;
  readonly measuredMs: number;
}

/** A scenario field whose value is not the same in every run (JSON values; null where absent). */
export interface FieldDifference {
  readonly path: string;
  readonly values: readonly unknown[];
}

export interface MetricRow {
  /** An operation name, or "all operations" for the totals. */
  readonly operation: string;
  readonly values: readonly Cell[];
}

export type MetricName = 'count' | 'throughput' | 'p50' | 'p90' | 'p99' | 'p999' | 'max' | 'mean' | 'fail' | 'info' | 'errors';

export interface MetricTable {
  readonly metric: MetricName;
  /** e.g. "Latency p99 (ms)" */
  readonly title: string;
  readonly unit: MetricUnit;
  readonly better: Better;
  /** One row per operation that any run measured, in the scenario's operation order. */
  readonly rows: readonly MetricRow[];
  /** Every operation together. */
  readonly total: MetricRow;
}

export interface CountRow {
  /** The checker's count name, e.g. "rpoMs". */
  readonly name: string;
  /** For people, e.g. "RPO"; renderers add the unit. */
  readonly label: string;
  readonly unit: MetricUnit;
  readonly better: Better;
  /** One of the few counts that sum the check up (shown in the verdict matrix). */
  readonly key: boolean;
  readonly values: readonly Cell[];
}

export interface CheckComparison {
  readonly check: string;
  /** null where the run did not run this check. */
  readonly verdicts: readonly (Verdict | null)[];
  /** Key counts first, then every other count any run reported, in first-seen order. */
  readonly counts: readonly CountRow[];
}

/** One client region's figures across runs (scenarios with regions). */
export interface RegionComparison {
  readonly region: string;
  readonly metrics: readonly MetricTable[];
}

export interface Comparison {
  readonly schemaVersion: number;
  /** The scenario name, or the names joined when the runs come from several scenarios. */
  readonly title: string;
  readonly runs: readonly ComparedRun[];
  /** What the runs vary in; empty when they ran the same scenario. */
  readonly differences: readonly FieldDifference[];
  readonly metrics: readonly MetricTable[];
  readonly checks: readonly CheckComparison[];
  /** Topology-specific figures (conflicts, lag per direction, central's freshness); absent when no run has any. */
  readonly replication?: readonly CountRow[];
  /** Per client region, when any run declared regions: what a customer there saw. */
  readonly regions?: readonly RegionComparison[];
  /** Labels of matrix variants that never ran (interrupted before them). */
  readonly notRun: readonly string[];
}

export interface RunToCompare {
  readonly label: string;
  readonly dir: string;
  readonly results: RunResults;
}
