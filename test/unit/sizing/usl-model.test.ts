import { describe, expect, it } from 'vitest';
import { concurrencyFor, uslPeak, uslThroughput } from '../../../src/harness/sizing/usl-model.ts';

describe('the USL', () => {
  const p = { lambda: 100, sigma: 0.05, kappa: 0.001 };

  it('gives λ at one client and peaks at N* = √((1−σ)/κ)', () => {
    expect(uslThroughput(p, 1)).toBe(100);
    const peak = uslPeak(p);
    expect(peak.kind).toBe('peak');
    if (peak.kind !== 'peak') return;
    expect(peak.concurrency).toBeCloseTo(Math.sqrt(0.95 / 0.001), 9);
    expect(peak.throughput).toBeGreaterThan(uslThroughput(p, peak.concurrency - 1));
    expect(peak.throughput).toBeGreaterThan(uslThroughput(p, peak.concurrency + 1));
  });

  it('puts the peak at one client when contention alone outweighs a second client', () => {
    expect(uslPeak({ lambda: 5, sigma: 1, kappa: 0.2 })).toEqual({ kind: 'peak', concurrency: 1, throughput: 5 });
  });

  it('inverts X(N) on the rising side, and says when a throughput is never reached', () => {
    for (const n of [1, 3, 10, 25]) expect(concurrencyFor(p, uslThroughput(p, n))).toBeCloseTo(n, 6);
    const peak = uslPeak(p);
    if (peak.kind !== 'peak') throw new Error('expected a peak');
    expect(concurrencyFor(p, peak.throughput * 1.01)).toBeUndefined();
    expect(concurrencyFor({ lambda: 50, sigma: 0.1, kappa: 0 }, 400)).toBeCloseTo(36, 6);
    expect(concurrencyFor({ lambda: 50, sigma: 0.1, kappa: 0 }, 500)).toBeUndefined();
    expect(concurrencyFor(p, 50)).toBe(1);
  });
});
