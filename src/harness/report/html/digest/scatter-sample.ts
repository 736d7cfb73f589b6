import type { Outcome } from '../../../history/history-types.ts';
import { BottomK } from './bottom-k.ts';
import { seconds, type ScatterPoint } from './digest-types.ts';

// The raw latency scatter shows individual operations, but a 60 s run has hundreds of thousands
// and an SVG point costs ~130 bytes: the page would weigh tens of MB. So a deterministic sample:
// a uniform one of the successful operations, a separate one of the failed and unknown ones (rare,
// and the reason to look), and the slowest operation of every time bucket, so the outliers a
// uniform sample would almost always miss still show. At most about 4,600 points in all.

export const OK_SAMPLE = 3_000;
export const NOT_OK_SAMPLE = 1_000;

export class ScatterSample {
  private readonly ok = new BottomK<ScatterPoint>(OK_SAMPLE);
  private readonly notOk = new BottomK<ScatterPoint>(NOT_OK_SAMPLE);
  private readonly slowest: (ScatterPoint | undefined)[] = [];

  constructor(private readonly bucketMs: number) {}

  add(id: number, f: string, outcome: Outcome, startMs: number, latencyMs: number): void {
    const ms = Math.round(latencyMs * 1000) / 1000;
    const sample = outcome === 'ok' ? this.ok : this.notOk;
    // Most operations are neither sampled nor the slowest so far: build a point only when needed.
    if (sample.accepts(id)) sample.offer(id, { id, t: seconds(startMs), ms, f, outcome });
    const index = Math.floor(startMs / this.bucketMs);
    const current = this.slowest[index];
    // Ties go to the lower id, so the choice does not depend on the order completions were written.
    if (current === undefined || ms > current.ms || (ms === current.ms && id < current.id)) {
      this.slowest[index] = { id, t: seconds(startMs), ms, f, outcome };
    }
  }

  /** The sample in id order (so the SVG is the same bytes for the same history), up to `endMs`. */
  points(endMs: number): ScatterPoint[] {
    const byId = new Map<number, ScatterPoint>();
    for (const point of [...this.ok.values(), ...this.notOk.values(), ...this.slowest]) {
      if (point !== undefined && point.t * 1000 < endMs) byId.set(point.id, point);
    }
    return [...byId.values()].sort((a, b) => a.id - b.id);
  }
}
