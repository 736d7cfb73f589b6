import { describe, expect, it } from 'vitest';
import { openLoopStreams } from '../../../src/harness/driver/open-loop-streams.ts';
import type { ClientRegion } from '../../../src/harness/regions/client-regions.ts';

// How an open loop's rate and arrivals are split over regions and load threads.

const inRegion = (region: string): ClientRegion => ({ region }) as ClientRegion;

describe('open-loop streams', () => {
  it('is one stream of the whole rate on the scenario seed in one thread without regions', () => {
    expect(openLoopStreams([], 4, 1000, 42)).toEqual([{ stream: 0, streams: 1, workers: [0, 1, 2, 3], rate: 1000, seed: 42 }]);
  });

  it('gives each load thread its connections and their share of the rate, on a seed of its own', () => {
    const share = (thread: number) => ({ workers: [0, 1, 2, 3, 4].filter((w) => w % 2 === thread), thread, threads: 2 });
    const [first] = openLoopStreams([], 5, 1000, 42, share(0));
    const [second] = openLoopStreams([], 5, 1000, 42, share(1));
    expect(first).toEqual({ stream: 0, streams: 2, workers: [0, 2, 4], rate: 600, seed: 42 });
    expect(second).toEqual({ stream: 1, streams: 2, workers: [1, 3], rate: 400, seed: 42 + 7919 });
  });

  it('splits by region, then by thread: every stream its own index, the rates summing to the whole', () => {
    const placements = ['eu', 'eu', 'eu', 'us'].map(inRegion);
    expect(openLoopStreams(placements, 4, 400, 1).map((s) => [s.stream, s.workers, s.rate])).toEqual([
      [0, [0, 1, 2], 300],
      [1, [3], 100],
    ]);
    const threads = [0, 1].map((thread) => openLoopStreams(placements, 4, 400, 1, { workers: [0, 1, 2, 3].filter((w) => w % 2 === thread), thread, threads: 2 }));
    // Thread 0 has no connection in us: no stream of its own there.
    expect(threads.map((streams) => streams.map((s) => [s.stream, s.streams, s.workers, s.rate]))).toEqual([
      [[0, 4, [0, 2], 200]],
      [
        [1, 4, [1], 100],
        [3, 4, [3], 100],
      ],
    ]);
    expect(threads.flat().reduce((sum, s) => sum + s.rate, 0)).toBe(400);
  });
});
