import type { Outcome } from '../../../history/history-types.ts';
import type { FaultRecord } from '../../../results/results-types.ts';

// What one streaming pass over history.jsonl keeps for the charts: small, already aggregated
// series whose size depends on the run's length (bounded), never on its operation count.
// Times `t` are seconds since the measured run began, the clock the fault table uses.

/** One latency quantile of one operation over one time bucket (operations by start time). */
export interface LatencyPoint {
  readonly t: number;
  readonly f: string;
  readonly quantile: 'p50' | 'p99';
  readonly ms: number;
}

/** Completions per second in one bucket, by outcome (by completion time). */
export interface OutcomeBucket {
  readonly t: number;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
}

/** One operation of the raw-latency scatter, at its start time. */
export interface ScatterPoint {
  readonly id: number;
  readonly t: number;
  readonly ms: number;
  readonly f: string;
  readonly outcome: Outcome;
}

/** The largest staleness (or replay lag) a replica showed in one bucket. */
export interface LagPoint {
  readonly t: number;
  readonly node: string;
  readonly series: 'staleness' | 'replay lag';
  readonly ms: number;
}

/** A node accepted writes from `from` to `to` (seconds). */
export interface WritableSpan {
  readonly node: string;
  readonly from: number;
  readonly to: number;
}

export interface HistoryDigest {
  /** The measured run's end in seconds: every chart's time axis runs from 0 to here. */
  readonly endSeconds: number;
  /** Width of the latency and throughput buckets, in seconds. */
  readonly bucketSeconds: number;
  /** Measured operations that completed (ok, fail or info). */
  readonly completions: number;
  readonly latency: readonly LatencyPoint[];
  readonly outcomes: readonly OutcomeBucket[];
  readonly scatter: readonly ScatterPoint[];
  readonly lag: readonly LagPoint[];
  readonly writable: readonly WritableSpan[];
  /** The writable set was, at some point of the run, not exactly one node (an outage or split brain). */
  readonly writableChanged: boolean;
  /** Fault occurrences as the history recorded them (ms from the measured run's start). */
  readonly faults: readonly FaultRecord[];
  /** History lines read, and those that could not be (a truncated or damaged line). */
  readonly lines: number;
  readonly skippedLines: number;
}

/** Seconds with millisecond precision: more would only bloat the chart data. */
export function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}
