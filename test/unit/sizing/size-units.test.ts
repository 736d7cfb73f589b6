import { describe, expect, it } from 'vitest';
import { sizeUnits, unitsFor } from '../../../src/harness/sizing/size-units.ts';
import { uslPeak } from '../../../src/harness/sizing/usl-model.ts';

const FIT = { lambda: 100, sigma: 0.05, kappa: 0.001 };
const PEAK = uslPeak(FIT);
if (PEAK.kind !== 'peak') throw new Error('fixture must peak');

describe('sizeUnits', () => {
  it('sizes from the best measured level and from the modelled peak at the operating point, in nodes too', () => {
    const sizing = sizeUnits({ target: 5000, operatingPoint: 0.75, fit: FIT, best: { concurrency: 8, throughput: 600 }, maxMeasuredConcurrency: 8, nodesPerUnit: 3 });
    expect(sizing.measured).toEqual({ perUnit: 600, atConcurrency: 8, units: 9, nodes: 27 });
    const model = sizing.model;
    if (model.kind !== 'sized') throw new Error(`expected a model sizing, got ${model.reason}`);
    expect(model.peakConcurrency).toBeCloseTo(PEAK.concurrency, 9);
    expect(model.perUnit).toBeCloseTo(PEAK.throughput * 0.75, 9);
    expect(model.units).toBe(Math.ceil(5000 / (PEAK.throughput * 0.75)));
    expect(model.nodes).toBe(model.units * 3);
    expect(model.peakExtrapolated).toBe(true);
    // On the rising side, below the peak.
    expect(model.concurrencyPerUnit).toBeGreaterThan(1);
    expect(model.concurrencyPerUnit).toBeLessThan(PEAK.concurrency);
  });

  it('calls the peak interpolated when it lies within the measured levels', () => {
    const sizing = sizeUnits({ target: 100, operatingPoint: 1, fit: FIT, best: { concurrency: 32, throughput: 900 }, maxMeasuredConcurrency: 64, nodesPerUnit: 1 });
    expect(sizing.model).toMatchObject({ kind: 'sized', peakExtrapolated: false, units: 1 });
  });

  it('gives no model figure without a peak, and says why', () => {
    const ceiling = sizeUnits({ target: 500, operatingPoint: 0.75, fit: { lambda: 50, sigma: 0.1, kappa: 0 }, best: { concurrency: 16, throughput: 320 }, maxMeasuredConcurrency: 16, nodesPerUnit: 2 });
    expect(ceiling.model).toEqual({ kind: 'no-peak', reason: expect.stringMatching(/κ = 0: throughput keeps rising towards λ\/σ = 500/) });
    expect(ceiling.measured.units).toBe(2);
    const linear = sizeUnits({ target: 500, operatingPoint: 0.75, fit: { lambda: 50, sigma: 0, kappa: 0 }, best: { concurrency: 4, throughput: 200 }, maxMeasuredConcurrency: 4, nodesPerUnit: 2 });
    expect(linear.model).toEqual({ kind: 'no-peak', reason: expect.stringMatching(/σ = 0 and κ = 0: throughput grows linearly/) });
  });

  it('cannot size from a unit that delivered nothing', () => {
    const sizing = sizeUnits({ target: 10, operatingPoint: 0.75, fit: FIT, best: { concurrency: 1, throughput: 0 }, maxMeasuredConcurrency: 4, nodesPerUnit: 3 });
    expect(sizing.measured).toMatchObject({ units: null, nodes: null });
  });
});

describe('unitsFor', () => {
  it('rounds up to whole units, at least one, and an exact multiple buys no extra unit', () => {
    expect(unitsFor(600, 300)).toBe(2);
    expect(unitsFor(601, 300)).toBe(3);
    expect(unitsFor(1, 300)).toBe(1);
    expect(unitsFor(0.3 * 3, 0.3)).toBe(3);
  });
});
