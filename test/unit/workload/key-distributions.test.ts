import { describe, expect, it } from 'vitest';
import { createKeyChooser, scramblePermutation, zeta } from '../../../src/harness/workload/key-distributions.ts';
import { createRandom } from '../../../src/harness/workload/random.ts';

const PARAMS = { zipfianTheta: 0.99, hotspotKeys: 0.2, hotspotOps: 0.8 };
const DRAWS = 200_000;

function histogram(name: 'uniform' | 'zipfian' | 'hotspot', n: number, params = PARAMS): number[] {
  const choose = createKeyChooser(name, n, params);
  const random = createRandom(42, 'test.keys');
  const counts = new Array<number>(n + 1).fill(0);
  for (let i = 0; i < DRAWS; i++) {
    const key = choose(random);
    counts[key] = counts[key]! + 1;
  }
  return counts;
}

describe('key choosers', () => {
  it.each(['uniform', 'zipfian', 'hotspot'] as const)('%s only returns keys in [1, n]', (name) => {
    const counts = histogram(name, 37);
    expect(counts[0]).toBe(0);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(DRAWS);
  });

  it('uniform is flat: every key within 10% of its fair share', () => {
    const counts = histogram('uniform', 100).slice(1);
    const fair = DRAWS / 100;
    for (const count of counts) expect(Math.abs(count - fair) / fair).toBeLessThan(0.1);
  });

  it('zipfian gives its ten hottest keys the share Zipf predicts (about 43% of 500 keys at theta 0.99)', () => {
    const counts = histogram('zipfian', 500).slice(1).sort((a, b) => b - a);
    const topTen = counts.slice(0, 10).reduce((a, b) => a + b, 0) / DRAWS;
    const predicted = zeta(10, 0.99) / zeta(500, 0.99);
    expect(predicted).toBeGreaterThan(0.4);
    expect(Math.abs(topTen - predicted)).toBeLessThan(0.02);
    // The hottest key alone gets about 1 / zeta(500).
    expect(Math.abs(counts[0]! / DRAWS - 1 / zeta(500, 0.99))).toBeLessThan(0.01);
  });

  it('zipfian skew follows theta', () => {
    const share = (theta: number) => {
      const counts = histogram('zipfian', 500, { ...PARAMS, zipfianTheta: theta }).slice(1).sort((a, b) => b - a);
      return counts.slice(0, 10).reduce((a, b) => a + b, 0) / DRAWS;
    };
    expect(share(0.5)).toBeLessThan(share(0.99));
  });

  it('zipfian scatters the hot keys over the id space instead of the lowest ids', () => {
    const counts = histogram('zipfian', 1000);
    const hottest = counts
      .map((count, key) => ({ key, count }))
      .sort((a, b) => b.count - a.count)
      .slice(0, 10)
      .map((entry) => entry.key);
    expect(hottest.filter((key) => key > 500).length).toBeGreaterThan(0);
    expect(hottest.filter((key) => key <= 500).length).toBeGreaterThan(0);
  });

  it('scrambles through a permutation: every key has exactly one rank', () => {
    const permutation = scramblePermutation(1234);
    expect(new Set(permutation).size).toBe(1234);
    expect(Math.min(...permutation)).toBe(1);
    expect(Math.max(...permutation)).toBe(1234);
  });

  it('hotspot sends about hotspotOps of the draws to the lowest hotspotKeys of the ids', () => {
    const counts = histogram('hotspot', 1000);
    const hot = counts.slice(1, 201).reduce((a, b) => a + b, 0) / DRAWS;
    expect(Math.abs(hot - 0.8)).toBeLessThan(0.01);
  });

  it('handles tiny key spaces', () => {
    for (const name of ['uniform', 'zipfian', 'hotspot'] as const) {
      expect(new Set(histogram(name, 1).slice(1))).toEqual(new Set([DRAWS]));
      const two = histogram(name, 2);
      expect(two[1]! + two[2]!).toBe(DRAWS);
    }
  });
});
