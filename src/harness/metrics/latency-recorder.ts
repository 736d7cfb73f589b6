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
    let counters = this.ops.get(f);
    if (!counters) {
      counters = { histogram: newHistogram(), ok: 0, fail: 0, info: 0, errors: new Map() };
      this.ops.set(f, counters);
    }
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
