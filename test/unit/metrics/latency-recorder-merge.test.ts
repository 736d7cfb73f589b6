import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from '../../../src/harness/metrics/latency-recorder.ts';
import { createRandom } from '../../../src/harness/workload/random.ts';

// Load threads each record into their own recorder; the run merges them. Merged, the figures must
// be those of one recorder that saw every operation: same counts, errors, percentiles and max.

function feed(recorders: LatencyRecorder[], n: number, seed: number): LatencyRecorder {
  const all = new LatencyRecorder();
  const rng = createRandom(seed, 'recorder-merge-test');
  const random = () => rng.float();
  for (let i = 0; i < n; i++) {
    const f = random() < 0.7 ? 'view-product' : 'checkout';
    const outcome = random() < 0.9 ? 'ok' : random() < 0.5 ? 'fail' : 'info';
    const latency = 0.1 + random() ** 3 * 800;
    const error = outcome === 'ok' ? undefined : random() < 0.5 ? 'timeout' : 'conflict';
    const measured = i > n / 10;
    all.record(f, outcome, latency, error, measured);
    recorders[i % recorders.length]!.record(f, outcome, latency, error, measured);
  }
  return all;
}

describe('latency recorder merge', () => {
  it('gives the figures of one recorder that saw every operation, percentiles and exact max included', () => {
    const parts = [new LatencyRecorder(), new LatencyRecorder(), new LatencyRecorder()];
    const all = feed(parts, 30_000, 7);
    const merged = new LatencyRecorder();
    // Through structured data, as the snapshots cross a thread boundary.
    for (const part of parts) merged.merge(structuredClone(part.snapshot()));
    expect(merged.summarize(10_000)).toEqual(all.summarize(10_000));
  });

  it('adds the threads progress figures to the next interval, then starts afresh', () => {
    const parts = [new LatencyRecorder(), new LatencyRecorder()];
    const all = feed(parts, 5_000, 11);
    const merged = new LatencyRecorder();
    for (const part of parts) merged.mergeInterval(structuredClone(part.takeIntervalSnapshot()));
    expect(merged.takeInterval()).toEqual(all.takeInterval());
    expect(merged.takeInterval()).toMatchObject({ ops: 0, errors: 0 });
    // A thread's snapshot after a take is empty.
    expect(parts[0]!.takeIntervalSnapshot()).toMatchObject({ errors: 0, histogram: { max: 0 } });
  });

  it("can fail: a recorder missing one thread's share does not match", () => {
    const parts = [new LatencyRecorder(), new LatencyRecorder()];
    const all = feed(parts, 2_000, 3);
    const merged = new LatencyRecorder();
    merged.merge(parts[0]!.snapshot());
    expect(merged.summarize(1_000).totals.count).toBeLessThan(all.summarize(1_000).totals.count);
  });
});
