import { describe, expect, it } from 'vitest';
import { expandTimeline } from '../../../src/harness/fault/timeline.ts';
import { Fault } from '../../../src/harness/fault/fault-catalog.ts';

const fault = (input: unknown) => Fault.parse(input);

describe('fault timeline', () => {
  it('places a one-off fault at its start and heals it after its duration', () => {
    const [occurrence] = expandTimeline([fault({ kind: 'kill', target: 'primary', at: '5s', duration: '3s' })], 20_000);
    expect(occurrence).toMatchObject({ id: 1, start: 5_000, end: 8_000 });
  });

  it('repeats every period until the until time, never past the run', () => {
    const occurrences = expandTimeline([fault({ kind: 'pause', target: 'replica', at: 2, every: 5, until: 14, duration: 1 })], 30_000);
    expect(occurrences.map((o) => o.start)).toEqual([2_000, 7_000, 12_000]);
    const capped = expandTimeline([fault({ kind: 'pause', target: 'replica', at: 2, every: 5, duration: 1 })], 10_000);
    expect(capped.map((o) => o.start)).toEqual([2_000, 7_000]);
  });

  it('leaves a fault without duration open until the run ends, and orders occurrences by start', () => {
    const occurrences = expandTimeline(
      [fault({ kind: 'latency', delay: '20ms', at: '8s' }), fault({ kind: 'kill', target: 'primary', at: '1s', duration: '1s' })],
      20_000,
    );
    expect(occurrences.map((o) => [o.id, o.fault.kind, o.end])).toEqual([
      [1, 'kill', 2_000],
      [2, 'latency', undefined],
    ]);
  });

  it('drops faults that would start after the run', () => {
    expect(expandTimeline([fault({ kind: 'kill', target: 'primary', at: '30s' })], 20_000)).toEqual([]);
  });
});
