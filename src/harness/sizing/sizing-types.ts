import type { RunStatus } from '../results/results-types.ts';
import type { UnitSizing } from './size-units.ts';
import type { FitQuality } from './usl-fit.ts';
import type { UslParameters, UslPeak } from './usl-model.ts';

// sizing.json: what `faultline size` measured, what it fitted, and what it extrapolated, kept in
// separate fields so no reader can take a prediction for a measurement. Fields are only added;
// schemaVersion changes when one changes meaning.

export const SIZING_SCHEMA_VERSION = 1;

/** One concurrency level of one group: a run, or the reason it has no figures. */
export interface MeasuredLevel {
  readonly concurrency: number;
  readonly status: RunStatus | 'not-run';
  /** The level's run folder, relative to the sizing folder; absent when it did not run. */
  readonly dir?: string;
  readonly measuredMs?: number;
  /** Checkouts that returned ok, per second of the measured phase. */
  readonly ordersPerSecond?: number;
  /** Operations of every kind that returned ok, per second. */
  readonly okOpsPerSecond?: number;
  /** Completed operations (ok + fail + info) per second, as report.md's throughput. */
  readonly completedOpsPerSecond?: number;
  readonly checkout?: { readonly ok: number; readonly fail: number; readonly info: number; readonly p99Ms: number };
  readonly p99Ms?: number;
  /** The level's run was harness-bound or cpu-contended (results.json marks): its throughput is faultline's (or the machine's), never the database's. */
  readonly harnessBound?: { readonly seconds: string; readonly mark: 'harness-bound' | 'cpu-contended' };
  /** Taken into the fit: completed runs that were not harness-bound. */
  readonly fitted: boolean;
}

export type SeriesName = 'orders' | 'operations';

export type SeriesFit =
  | {
      readonly kind: 'fitted';
      readonly series: SeriesName;
      readonly unit: string;
      readonly parameters: UslParameters;
      readonly quality: FitQuality;
      readonly peak: UslPeak;
      /** The peak's concurrency lies beyond the largest level measured (always true for a ceiling). */
      readonly peakExtrapolated: boolean;
      /** Fitted value at each fitted level, in level order. */
      readonly fitted: readonly { readonly concurrency: number; readonly measured: number; readonly fitted: number }[];
    }
  | { readonly kind: 'not-fitted'; readonly series: SeriesName; readonly unit: string; readonly reason: string };

export interface SizingGroup {
  /** The scenario matrix's values that define this unit ("replication=sync"); "" without a matrix. */
  readonly label: string;
  readonly values: Record<string, unknown>;
  /** What one unit is: the topology as the runs reported it. */
  readonly unit: { readonly kind: string; readonly nodes: readonly string[] } | null;
  readonly levels: readonly MeasuredLevel[];
  readonly orders: SeriesFit;
  readonly operations: SeriesFit;
  /** null without a target, or without an orders fit. */
  readonly sizing: UnitSizing | null;
}

export interface SizingReport {
  readonly schemaVersion: number;
  readonly scenario: { readonly name: string; readonly seed: number; readonly file: string };
  readonly runId: string;
  readonly levels: readonly number[];
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly targetOrdersPerSecond: number | null;
  readonly operatingPoint: number;
  readonly cpus: number | null;
  readonly groups: readonly SizingGroup[];
  /** Every assumption behind the extrapolated figures, as sentences. */
  readonly assumptions: readonly string[];
  /** Plain statements of what is measured, fitted and extrapolated. */
  readonly provenance: { readonly measured: string; readonly fitted: string; readonly extrapolated: string };
  readonly warnings: readonly string[];
}
