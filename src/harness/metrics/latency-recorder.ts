import * as hdr from 'hdr-histogram-js';
import type { Outcome } from '../history/history-types.ts';
import type { OperationName } from '../scenario/schema.ts';
import type { LatencySummary, OperationStats } from '../results/results-types.ts';

// One HdrHistogram per operation (microseconds, 3 significant digits, as wrk2 and YCSB keep them),
// plus an interval histogram for the progress line that is reset every report.
function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
}

interface OpCounters {
  readonly histogram: hdr.Histogram;
  ok: number;
  fail: number;
  info: number;
  readonly errors: Map<string, number>;
}

/** One recorder's figures as data, to merge into another (a load thread's into the run's): histograms encoded as HdrHistogram's compressed base64. */
export interface RecorderSnapshot {
  readonly ops: readonly {
    readonly f: OperationName;
    readonly histogram: EncodedHistogram;
    readonly ok: number;
    readonly fail: number;
    readonly info: number;
    readonly errors: readonly (readonly [string, number])[];
  }[];
}

/** The progress figures since the last take, to merge into another recorder's. */
export interface IntervalSnapshot {
  readonly histogram: EncodedHistogram;
  readonly errors: number;
}

/** HdrHistogram's encoding keeps bucket counts only: the exact largest value travels beside it. */
export interface EncodedHistogram {
  readonly base64: string;
  readonly max: number;
}

function encode(histogram: hdr.Histogram): EncodedHistogram {
  return { base64: hdr.encodeIntoCompressedBase64(histogram), max: histogram.maxValue };
}

/** Adds an encoded histogram: the same counts as recording its values here, and the exact maximum. */
function addEncoded(target: hdr.Histogram, encoded: EncodedHistogram): void {
  const before = target.maxValue;
  const decoded = hdr.decodeFromCompressedBase64(encoded.base64);
  target.add(decoded);
  decoded.destroy();
  // Decoding sets the maximum to its bucket's highest equivalent value; the report's max is exact.
  (target as { maxValue: number }).maxValue = Math.max(before, encoded.max);
}

export interface IntervalStats {
  readonly ops: number;
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
}

const toMs = (us: number) => Math.round(us) / 1000;

export function latencySummary(histogram: hdr.Histogram): LatencySummary {
  if (histogram.totalCount === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  // Percentiles are reported at their bucket's upper edge; the max is exact. Clamp, so that
  // p99.9 never reads larger than the largest value actually seen.
  const at = (percentile: number) => toMs(Math.min(histogram.getValueAtPercentile(percentile), histogram.maxValue));
  return {
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: toMs(histogram.maxValue),
    mean: toMs(histogram.mean),
  };
}

export class LatencyRecorder {
  private readonly ops = new Map<OperationName, OpCounters>();
  private interval = newHistogram();
  private intervalErrors = 0;

  /** Warmup operations (measured = false) feed only the progress figures, never the results. */
  record(f: OperationName, outcome: Outcome, latencyMs: number, error: string | undefined, measured: boolean): void {
    const us = Math.max(1, Math.round(latencyMs * 1000));
    this.interval.recordValue(us);
    if (outcome !== 'ok') this.intervalErrors++;
    if (!measured) return;
    const counters = this.countersOf(f);
    counters.histogram.recordValue(us);
    counters[outcome]++;
    if (outcome !== 'ok') {
      const key = error ?? 'error';
      counters.errors.set(key, (counters.errors.get(key) ?? 0) + 1);
    }
  }

  /** Figures since the previous call, for the progress line and the time series. */
  takeInterval(): IntervalStats {
    const stats = {
      ops: this.interval.totalCount,
      errors: this.intervalErrors,
      p50: toMs(this.interval.getValueAtPercentile(50)),
      p99: toMs(this.interval.getValueAtPercentile(99)),
    };
    this.interval.reset();
    this.intervalErrors = 0;
    return stats;
  }

  /** Everything measured so far, as data (a load thread sends it when its load ends). */
  snapshot(): RecorderSnapshot {
    return {
      ops: [...this.ops].map(([f, c]) => ({ f, histogram: encode(c.histogram), ok: c.ok, fail: c.fail, info: c.info, errors: [...c.errors] })),
    };
  }

  /** Adds another recorder's figures: afterwards this one reports as if it had recorded both. */
  merge(snapshot: RecorderSnapshot): void {
    for (const op of snapshot.ops) {
      const counters = this.countersOf(op.f);
      addEncoded(counters.histogram, op.histogram);
      counters.ok += op.ok;
      counters.fail += op.fail;
      counters.info += op.info;
      for (const [error, n] of op.errors) counters.errors.set(error, (counters.errors.get(error) ?? 0) + n);
    }
  }

  /** The progress figures since the last take, as data, resetting them (a load thread's tick). */
  takeIntervalSnapshot(): IntervalSnapshot {
    const snapshot = { histogram: encode(this.interval), errors: this.intervalErrors };
    this.interval.reset();
    this.intervalErrors = 0;
    return snapshot;
  }

  /** Adds a load thread's progress figures to the next takeInterval(). */
  mergeInterval(snapshot: IntervalSnapshot): void {
    if (snapshot.histogram.max === 0 && snapshot.errors === 0) return;
    addEncoded(this.interval, snapshot.histogram);
    this.intervalErrors += snapshot.errors;
  }

  private countersOf(f: OperationName): OpCounters {
    let counters = this.ops.get(f);
    if (!counters) this.ops.set(f, (counters = { histogram: newHistogram(), ok: 0, fail: 0, info: 0, errors: new Map() }));
    return counters;
  }

  histograms(): ReadonlyMap<OperationName, hdr.Histogram> {
    return new Map([...this.ops].map(([f, c]) => [f, c.histogram]));
  }

  private stats(counters: OpCounters, histogram: hdr.Histogram, measuredMs: number): OperationStats {
    const count = counters.ok + counters.fail + counters.info;
    return {
      count,
      ok: counters.ok,
      fail: counters.fail,
      info: counters.info,
      throughput: measuredMs > 0 ? count / (measuredMs / 1000) : 0,
      errors: Object.fromEntries([...counters.errors].sort((a, b) => b[1] - a[1])),
      latencyMs: latencySummary(histogram),
    };
  }

  summarize(measuredMs: number): { operations: Partial<Record<OperationName, OperationStats>>; totals: OperationStats } {
    const operations: Partial<Record<OperationName, OperationStats>> = {};
    const total: OpCounters = { histogram: newHistogram(), ok: 0, fail: 0, info: 0, errors: new Map() };
    for (const [f, counters] of this.ops) {
      operations[f] = this.stats(counters, counters.histogram, measuredMs);
      total.histogram.add(counters.histogram);
      total.ok += counters.ok;
      total.fail += counters.fail;
      total.info += counters.info;
      for (const [error, n] of counters.errors) total.errors.set(error, (total.errors.get(error) ?? 0) + n);
    }
    return { operations, totals: this.stats(total, total.histogram, measuredMs) };
  }
}
