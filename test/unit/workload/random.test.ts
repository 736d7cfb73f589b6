import { describe, expect, it } from 'vitest';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { fnv1aString, mix32 } from '../../../src/harness/workload/hash.ts';
import { createRandom, sampleDistinct, type Random } from '../../../src/harness/workload/random.ts';

const draw = (seed: number, purpose: string, index: number) => {
  const random = createRandom(seed, purpose, index);
  return Array.from({ length: 20 }, () => random.int(0, 1_000_000));
};

describe('createRandom', () => {
  it('repeats the same sequence for the same seed, purpose and index', () => {
    expect(draw(7, 'workload.worker', 3)).toEqual(draw(7, 'workload.worker', 3));
  });

  it('gives unrelated sequences for other seeds, purposes or indexes', () => {
    const base = draw(7, 'workload.worker', 3);
    expect(draw(8, 'workload.worker', 3)).not.toEqual(base);
    expect(draw(7, 'dataset.orders', 3)).not.toEqual(base);
    expect(draw(7, 'workload.worker', 4)).not.toEqual(base);
  });

  it('keeps int() inside its bounds and float() in [0, 1)', () => {
    const random = createRandom(1, 'bounds');
    const ints = new Set<number>();
    let [low, high] = [1, 0];
    for (let i = 0; i < 10_000; i++) {
      ints.add(random.int(-3, 3));
      const f = random.float();
      low = Math.min(low, f);
      high = Math.max(high, f);
    }
    expect([...ints].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThan(1);
  });
});

describe('sampleDistinct', () => {
  it('returns k distinct sorted values from [1, n], even when k = n', () => {
    const random = createRandom(2, 'sample');
    for (const [n, k] of [[10, 3], [5, 5], [1, 1], [1000, 50]] as const) {
      const sample = sampleDistinct(random, n, k);
      expect(sample).toHaveLength(k);
      expect(new Set(sample).size).toBe(k);
      expect([...sample].sort((a, b) => a - b)).toEqual(sample);
      expect(Math.min(...sample)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...sample)).toBeLessThanOrEqual(n);
    }
  });
});

describe('worker streams', () => {
  // The naive way: `index` jumps from the start. Checkpoints must give exactly the same streams.
  const naive = (seed: number, purpose: string, index: number): number[] => {
    const rng = xoroshiro128plus(mix32(seed, fnv1aString(purpose)) | 0);
    for (let i = 0; i < index; i++) rng.jump();
    return Array.from({ length: 4 }, () => uniformInt(rng, 0, 1_000_000));
  };
  const draws = (random: Random): number[] => Array.from({ length: 4 }, () => random.int(0, 1_000_000));

  it('are the same whichever order workers ask for them in (checkpoints, not index jumps each)', () => {
    for (const index of [130, 0, 5, 64, 63, 200, 129, 1]) {
      expect(draws(createRandom(7, 'workload.worker', index)), `stream ${index}`).toEqual(naive(7, 'workload.worker', index));
    }
  });

  it('are made for the largest accepted concurrency in one linear pass', () => {
    const first = Array.from({ length: 1000 }, (_, w) => createRandom(11, 'workload.worker', w).int(0, 1e9));
    expect(new Set(first).size).toBeGreaterThan(990);
    expect(createRandom(11, 'workload.worker', 999).int(0, 1e9)).toBe(first[999]);
  });
});
