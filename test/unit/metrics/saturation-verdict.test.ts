import { describe, expect, it } from 'vitest';
import type { SaturationSample } from '../../../src/harness/results/saturation-sample.ts';
import { judgeOverload, judgeSaturation, secondRanges, SATURATION_THRESHOLDS } from '../../../src/harness/metrics/saturation/saturation-verdict.ts';

// Crafted seconds on a 2-core machine: each mark must appear when its figures cross the
// threshold, and stay away when they do not.

const CORES = 2;

function second(t: number, figures: Partial<SaturationSample> = {}): SaturationSample {
  return {
    t,
    loopDelayP99Ms: 5,
    loopDelayMaxMs: 8,
    loopUtilization: 0.6,
    loopCpu: 0.55,
    loopCpuWait: 0.05,
    harnessCpu: 0.6,
    databaseCpu: 0.7,
    nodeCpu: { primary: 0.7 },
    machineCpu: 1.3,
    ...figures,
  };
}

/** Ten seconds of run phase (t = 1..10), with the given seconds replaced. */
function run(overrides: Record<number, Partial<SaturationSample>> = {}, warmup: Partial<SaturationSample> = {}): SaturationSample[] {
  return [second(-1, warmup), second(0, warmup), ...Array.from({ length: 10 }, (_, i) => second(i + 1, overrides[i + 1] ?? {}))];
}

const busy = { loopUtilization: 0.99, loopCpu: 0.97, loopCpuWait: 0.02, harnessCpu: 1.05 };

describe('harness saturation', () => {
  it('a harness that keeps up leaves the run unmarked', () => {
    const verdict = judgeSaturation(run(), 10_000, CORES);
    expect(verdict.seconds).toBe(10);
    expect(verdict.harness).toMatchObject({ saturatedSeconds: [], bound: false, affected: '' });
  });

  it('marks the run harness-bound when enough seconds had a busy event loop, and names them', () => {
    const verdict = judgeSaturation(run({ 3: busy, 4: busy, 5: busy, 9: busy }), 10_000, CORES);
    expect(verdict.harness).toMatchObject({ saturatedSeconds: [3, 4, 5, 9], affected: '3–5, 9', bound: true, starvedSeconds: [] });
  });

  it('a late timer alone saturates a second (event-loop delay p99 at the threshold)', () => {
    const late = { loopDelayP99Ms: SATURATION_THRESHOLDS.loopDelayP99Ms };
    expect(judgeSaturation(run({ 1: late, 2: late }), 10_000, CORES).harness.saturatedSeconds).toEqual([1, 2]);
    const almost = { loopDelayP99Ms: SATURATION_THRESHOLDS.loopDelayP99Ms - 1, loopUtilization: SATURATION_THRESHOLDS.loopUtilization - 0.01 };
    expect(judgeSaturation(run({ 1: almost, 2: almost }), 10_000, CORES).harness.saturatedSeconds).toEqual([]);
  });

  it('one slow second in ten does not mark the run (below the share of seconds)', () => {
    const verdict = judgeSaturation(run({ 6: busy }), 10_000, CORES);
    expect(verdict.harness).toMatchObject({ saturatedSeconds: [6], bound: false });
  });

  it('leaves warmup seconds and seconds after the phase out', () => {
    const samples = [...run({}, busy), second(11, busy), second(12, busy)];
    expect(judgeSaturation(samples, 10_000, CORES).harness.bound).toBe(false);
  });

  it('a harness starved of CPU by other processes marks the run cpu-contended, not harness-bound', () => {
    // Busy loop, but the main thread mostly waited for a CPU while others used 1.1 of 2 cores.
    const starved = { loopUtilization: 1, loopCpu: 0.15, loopCpuWait: 0.8, harnessCpu: 0.2, databaseCpu: 0.7, machineCpu: 2 };
    const verdict = judgeSaturation(run({ 1: starved, 2: starved, 3: starved }), 10_000, CORES);
    expect(verdict.harness).toMatchObject({ bound: false, contended: true, saturatedSeconds: [1, 2, 3], starvedSeconds: [1, 2, 3] });
  });

  it('waiting for a CPU that the database had is not contention: the harness is still harness-bound', () => {
    // The machine is full, but with the harness and the database only (others: 0.1 core).
    const sharing = { loopUtilization: 1, loopCpu: 0.3, loopCpuWait: 0.6, harnessCpu: 0.4, databaseCpu: 1.5, machineCpu: 2 };
    const verdict = judgeSaturation(run({ 1: sharing, 2: sharing, 3: sharing }), 10_000, CORES);
    expect(verdict.harness).toMatchObject({ bound: true, contended: false, starvedSeconds: [] });
  });

  it('the database is saturated when it used 90% of the CPU the harness left it', () => {
    const full = { harnessCpu: 0.5, databaseCpu: 0.9 * 1.5 };
    const verdict = judgeSaturation(run({ 7: full, 8: full }), 10_000, CORES);
    expect(verdict.database).toMatchObject({ saturatedSeconds: [7, 8], bound: true });
    const below = { harnessCpu: 0.5, databaseCpu: 0.9 * 1.5 - 0.05 };
    expect(judgeSaturation(run({ 7: below, 8: below }), 10_000, CORES).database).toMatchObject({ saturatedSeconds: [], bound: false });
  });

  it('says why the database was not measured when no node exposed its CPU', () => {
    const none = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [i + 1, { databaseCpu: null, nodeCpu: {} }]));
    expect(judgeSaturation(run(none), 10_000, CORES).database).toEqual({ measured: false, reason: expect.stringMatching(/no database node exposed its CPU/) });
  });

  it('gives two samples that end in the same second (a late tick) consecutive seconds', () => {
    const samples = [second(1, busy), second(2, busy), second(3.4, busy), second(3.6, busy), second(5, busy)];
    expect(judgeSaturation(samples, 5_000, CORES).harness.saturatedSeconds).toEqual([1, 2, 3, 4, 5]);
  });

  it('writes ranges of seconds for people', () => {
    expect(secondRanges([1, 2, 3, 5, 7, 8])).toBe('1–3, 5, 7–8');
    expect(secondRanges([])).toBe('');
  });
});

describe('open-loop overload', () => {
  const calm = judgeSaturation(run(), 10_000, CORES);
  const harnessBound = judgeSaturation(run({ 1: busy, 2: busy, 3: busy, 4: busy, 5: busy }), 10_000, CORES);
  const full = { harnessCpu: 0.5, databaseCpu: 1.45 };
  const databaseBound = judgeSaturation(run({ 1: full, 2: full, 3: full }), 10_000, CORES);
  const both = judgeSaturation(run({ 1: { ...busy, databaseCpu: 0.95 }, 2: { ...busy, databaseCpu: 0.95 }, 3: { ...busy, databaseCpu: 0.95 } }), 10_000, CORES);

  it('is not overloaded within the threshold of the offered rate', () => {
    expect(judgeOverload(1000, 951, calm)).toMatchObject({ overloaded: false, shortfall: 0.049 });
    expect(judgeOverload(1000, 1010, calm)).toMatchObject({ overloaded: false });
  });

  it('names the harness when it was starved by other processes, and says so', () => {
    const starved = { loopUtilization: 1, loopCpu: 0.15, loopCpuWait: 0.8, harnessCpu: 0.2, databaseCpu: 0.5, machineCpu: 2 };
    const contended = judgeSaturation(run({ 1: starved, 2: starved, 3: starved, 4: starved }), 10_000, CORES);
    const verdict = judgeOverload(40_000, 300, contended);
    expect(verdict).toMatchObject({ overloaded: true, saturated: 'harness' });
    expect(verdict.explanation).toMatch(/starved rather than busy .*processes other than the harness and the database had the cores/);
  });

  it('is overloaded past it, and names the harness when the harness was saturated', () => {
    const verdict = judgeOverload(40_000, 1_400, harnessBound);
    expect(verdict).toMatchObject({ overloaded: true, saturated: 'harness', offeredRate: 40_000, achievedRate: 1_400, shortfall: 0.965 });
    expect(verdict.explanation).toMatch(/load generator, not the database/);
  });

  it('names the database, both, or neither from the same figures', () => {
    expect(judgeOverload(1000, 900, databaseBound).saturated).toBe('database');
    expect(judgeOverload(1000, 900, both).saturated).toBe('both');
    const neither = judgeOverload(1000, 900, calm);
    expect(neither.saturated).toBe('neither');
    expect(neither.explanation).toMatch(/limit lies elsewhere/);
  });
});
