import { describe, expect, it } from 'vitest';
import { fitUsl, UslFitError, type MeasuredPoint } from '../../../src/harness/sizing/usl-fit.ts';
import { uslPeak, uslThroughput, type UslParameters } from '../../../src/harness/sizing/usl-model.ts';

const LEVELS = [1, 2, 4, 8, 16, 32, 48, 64];

function points(truth: UslParameters, levels: readonly number[] = LEVELS, noise: (i: number) => number = () => 0): MeasuredPoint[] {
  return levels.map((n, i) => ({ concurrency: n, throughput: uslThroughput(truth, n) * (1 + noise(i)) }));
}

// Fixed ±2% noise with no pattern the fit could exploit: the same every run.
const NOISE = [0.012, -0.018, 0.02, -0.007, 0.015, -0.02, 0.004, -0.011];

describe('fitUsl', () => {
  it('recovers λ, σ and κ from exact points', () => {
    const truth = { lambda: 120, sigma: 0.06, kappa: 0.0008 };
    const fit = fitUsl(points(truth));
    expect(fit.parameters.lambda).toBeCloseTo(120, 3);
    expect(fit.parameters.sigma).toBeCloseTo(0.06, 5);
    expect(fit.parameters.kappa).toBeCloseTo(0.0008, 7);
    expect(fit.quality.rSquared).toBeCloseTo(1, 9);
    expect(fit.quality.maxRelativeError).toBeLessThan(1e-6);
    expect(fit.quality.degreesOfFreedom).toBe(LEVELS.length - 3);
  });

  it('stays close to the truth and its peak with 2% noise on every point', () => {
    const truth = { lambda: 80, sigma: 0.03, kappa: 0.0015 };
    const fit = fitUsl(points(truth, LEVELS, (i) => NOISE[i]!));
    expect(Math.abs(fit.parameters.lambda - 80) / 80).toBeLessThan(0.05);
    expect(Math.abs(fit.parameters.sigma - 0.03)).toBeLessThan(0.02);
    expect(Math.abs(fit.parameters.kappa - 0.0015) / 0.0015).toBeLessThan(0.25);
    const peak = uslPeak(fit.parameters);
    const truePeak = uslPeak(truth);
    if (peak.kind !== 'peak' || truePeak.kind !== 'peak') throw new Error('expected a peak');
    expect(Math.abs(peak.throughput - truePeak.throughput) / truePeak.throughput).toBeLessThan(0.05);
    expect(Math.abs(peak.concurrency - truePeak.concurrency) / truePeak.concurrency).toBeLessThan(0.15);
    expect(fit.quality.rSquared).toBeGreaterThan(0.99);
    expect(fit.quality.maxRelativeError).toBeGreaterThan(0.001);
    expect(fit.quality.maxRelativeError).toBeLessThan(0.05);
    expect(fit.quality.rmse).toBeGreaterThan(0);
    expect(fit.fitted).toHaveLength(LEVELS.length);
  });

  it('finds κ = 0 and no peak when throughput only flattens (Amdahl), with the ceiling λ/σ', () => {
    const fit = fitUsl(points({ lambda: 50, sigma: 0.1, kappa: 0 }, [1, 2, 4, 8, 16]));
    expect(fit.parameters.kappa).toBeLessThan(1e-8);
    const peak = uslPeak({ ...fit.parameters, kappa: 0 });
    expect(peak).toEqual({ kind: 'ceiling', ceiling: expect.closeTo(500, 0) });
  });

  it('finds linear scaling (σ = κ = 0) unbounded', () => {
    const fit = fitUsl(points({ lambda: 10, sigma: 0, kappa: 0 }, [1, 2, 4]));
    expect(fit.parameters).toEqual({ lambda: expect.closeTo(10, 6), sigma: 0, kappa: 0 });
    expect(uslPeak(fit.parameters)).toEqual({ kind: 'unbounded' });
  });

  it('reports no R² when every level gave the same throughput', () => {
    const fit = fitUsl([1, 2, 4].map((n) => ({ concurrency: n, throughput: 100 })));
    expect(fit.quality.rSquared).toBeNull();
    expect(fit.fitted.every((x) => Math.abs(x - 100) < 1e-6)).toBe(true);
  });

  it('refuses fewer than three concurrency levels, however many points', () => {
    const two = [1, 1, 2, 2].map((n, i) => ({ concurrency: n, throughput: 10 * n + i }));
    expect(() => fitUsl(two)).toThrow(UslFitError);
    expect(() => fitUsl(two)).toThrow(/needs measurements at 3 or more concurrency levels; got 2 \(1, 2\)/);
    expect(() => fitUsl([])).toThrow(/got 0$/);
  });

  it('refuses points that are not measurements', () => {
    expect(() => fitUsl([{ concurrency: 0, throughput: 1 }, ...points({ lambda: 1, sigma: 0, kappa: 0 }, [1, 2])])).toThrow(/whole number of clients/);
    expect(() => fitUsl(points({ lambda: 1, sigma: 0, kappa: 0 }, [1, 2, 4]).map((p) => ({ ...p, throughput: -1 })))).toThrow(/finite number ≥ 0/);
    expect(() => fitUsl([1, 2, 4].map((n) => ({ concurrency: n, throughput: 0 })))).toThrow(/every measured throughput is 0/);
  });
});
