import * as hdr from 'hdr-histogram-js';
import { seconds, type LatencyPoint } from './digest-types.ts';

// Latency quantiles per operation per time bucket, as Jepsen's latency-quantiles plot: an
// HdrHistogram per (operation, bucket), so memory depends on the run's length and the number of
// operation kinds, never on how many operations ran. Two significant digits (1 % error) are plenty
// for a line on a log axis. Plain 32-bit counts (14 kB a histogram) record four times faster than
// packed ones (under 5 kB); past FAST_HISTOGRAMS a long run's histograms are packed, so memory
// stays near 15 MB plus 5 kB per further bucket whatever the run's length.

const FAST_HISTOGRAMS = 1_000;

function newHistogram(packed: boolean): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 2,
    bitBucketSize: packed ? 'packed' : 32,
  });
}

export class LatencyBuckets {
  private readonly byOperation = new Map<string, (hdr.Histogram | undefined)[]>();
  private histograms = 0;

  constructor(private readonly bucketMs: number) {}

  /** An operation that started `startMs` after the measured run began and took `latencyMs`. */
  add(f: string, startMs: number, latencyMs: number): void {
    const index = Math.floor(startMs / this.bucketMs);
    let buckets = this.byOperation.get(f);
    if (buckets === undefined) {
      buckets = [];
      this.byOperation.set(f, buckets);
    }
    let histogram = buckets[index];
    if (histogram === undefined) {
      histogram = newHistogram(++this.histograms > FAST_HISTOGRAMS);
      buckets[index] = histogram;
    }
    histogram.recordValue(Math.max(1, Math.round(latencyMs * 1000)));
  }

  /** p50 and p99 of every non-empty bucket, plotted at the bucket's middle; buckets past `endMs` are left out. */
  points(endMs: number): LatencyPoint[] {
    const points: LatencyPoint[] = [];
    for (const [f, buckets] of this.byOperation) {
      buckets.forEach((histogram, index) => {
        const startMs = index * this.bucketMs;
        if (histogram === undefined || histogram.totalCount === 0 || startMs >= endMs) return;
        const t = seconds(Math.min(startMs + this.bucketMs / 2, endMs));
        // As latencySummary does: a percentile never reads above the largest value seen.
        const at = (percentile: number) => Math.min(histogram.getValueAtPercentile(percentile), histogram.maxValue) / 1000;
        points.push({ t, f, quantile: 'p50', ms: at(50) }, { t, f, quantile: 'p99', ms: at(99) });
      });
    }
    return points;
  }
}
