import type { HistoryEvent } from '../../../history/history-types.ts';
import type { HistoryDigest } from './digest-types.ts';
import { FaultWindows } from './fault-windows.ts';
import { LagSeries } from './lag-series.ts';
import { LatencyBuckets } from './latency-buckets.ts';
import { OutcomeBuckets } from './outcome-buckets.ts';
import { readChartEvents } from './read-chart-events.ts';
import { ScatterSample } from './scatter-sample.ts';
import { WritableSpans } from './writable-spans.ts';

// One pass over history.jsonl feeds every chart. History times are on the run clock; charts use
// seconds since the measured run began (the fault table's clock), which is the driver's warmup
// phase event plus the warmup. Only measured operations count (started at or after that instant),
// as in the operations table. Buckets are 1 s, wider for runs over 10 minutes so that no series
// grows past ~600 points.

export interface DigestOptions {
  readonly warmupMs: number;
  /** The measured run's length; 0 when it never finished (then the data decides the end). */
  readonly measuredMs: number;
  /** The planned duration, to size buckets before the data is seen. */
  readonly plannedMs: number;
}

const MAX_BUCKETS = 600;
const MAX_LAG_POINTS = 1_000;

export async function digestHistory(path: string, options: DigestOptions): Promise<HistoryDigest> {
  const spanMs = Math.max(options.measuredMs, options.plannedMs, 1_000);
  const bucketMs = 1_000 * Math.max(1, Math.ceil(spanMs / 1_000 / MAX_BUCKETS));
  const latency = new LatencyBuckets(bucketMs);
  const outcomes = new OutcomeBuckets(bucketMs);
  const scatter = new ScatterSample(bucketMs);
  const lag = new LagSeries(Math.max(100, Math.ceil(spanMs / MAX_LAG_POINTS)));
  const writable = new WritableSpans();
  const faults = new FaultWindows();
  let origin: number | undefined;
  let completions = 0;
  let lastStartMs = 0;

  const visit = (event: HistoryEvent) => {
    if (event.type === 'phase') {
      if (event.phase === 'warmup' && origin === undefined) origin = event.time + options.warmupMs;
      if (event.phase === 'run' && origin === undefined) origin = event.time;
      return;
    }
    if (event.type === 'roles') {
      writable.add(origin === undefined ? -1 : event.time - origin, event.writable);
      return;
    }
    // Before the driver starts there is nothing measured to draw.
    if (origin === undefined) return;
    const atMs = event.time - origin;
    switch (event.type) {
      case 'ok':
      case 'fail':
      case 'info': {
        if (typeof event.latency !== 'number' || typeof event.f !== 'string') return;
        const startMs = atMs - event.latency;
        if (startMs < 0) return; // warmup
        completions++;
        lastStartMs = Math.max(lastStartMs, startMs);
        latency.add(event.f, startMs, event.latency);
        outcomes.add(event.type, atMs);
        scatter.add(event.id, event.f, event.type, startMs, event.latency);
        return;
      }
      case 'lag':
        if (atMs >= 0 && typeof event.stalenessMs === 'number') {
          lag.add(String(event.node), atMs, event.stalenessMs, typeof event.replayLagMs === 'number' ? event.replayLagMs : undefined);
        }
        return;
      case 'fault':
        faults.add(event, atMs);
        return;
      default:
        return;
    }
  };

  const stats = await readChartEvents(path, visit);
  const endMs = options.measuredMs > 0 ? options.measuredMs : lastStartMs;
  return {
    endSeconds: endMs / 1000,
    bucketSeconds: bucketMs / 1000,
    completions,
    latency: latency.points(endMs),
    outcomes: outcomes.buckets(endMs),
    scatter: scatter.points(endMs),
    lag: lag.points(endMs),
    writable: writable.spans(endMs),
    writableChanged: writable.changed(endMs),
    faults: faults.records(),
    lines: stats.lines,
    skippedLines: stats.skipped,
  };
}
