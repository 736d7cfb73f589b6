import { describe, expect, it } from 'vitest';
import { busiestLoop, type LoopSecond } from '../../../src/harness/metrics/saturation/saturation-sampler.ts';
import type { LoopCounters } from '../../../src/harness/metrics/saturation/loop-counters.ts';

// With load threads the harness is as saturated as its busiest loop: a load thread at 100% holds
// the load back even when the main thread idles. Its CPU run and wait shares go with it, so the
// starved test (wait longer than run) reads the thread that is saturated.

const main: LoopSecond = { utilization: 0.2, delayP99Ms: 3, delayMaxMs: 9, cpu: 0.2, cpuWait: 0.01 };
const counters = (activeMs: number, idleMs: number, run: number, wait: number, delayP99Ms = 1, delayMaxMs = 2): LoopCounters => ({ activeMs, idleMs, run, wait, delayP99Ms, delayMaxMs });

describe('the busiest loop of a second', () => {
  it('is a load thread busier than the main thread, with its own CPU shares and the worst delay of any', () => {
    const before = [counters(1_000, 1_000, 10, 1), counters(500, 1_500, 5, 0.5)];
    const now = [counters(1_980, 1_020, 10.9, 1.05, 30, 80), counters(900, 2_100, 5.4, 0.6, 400, 700)];
    const second = busiestLoop(main, now, before, 1);
    expect(second.utilization).toBeCloseTo(0.98, 3);
    expect(second.cpu).toBeCloseTo(0.9, 3);
    expect(second.cpuWait).toBeCloseTo(0.05, 3);
    expect(second.delayP99Ms).toBe(400);
    expect(second.delayMaxMs).toBe(700);
  });

  it('is the main thread when the threads idle, or have not reported twice yet', () => {
    expect(busiestLoop(main, [counters(10, 990, 1, 0)], [counters(0, 0, 1, 0)], 1)).toEqual({ ...main });
    expect(busiestLoop(main, [counters(1_000, 0, 1, 0)], [undefined], 1)).toEqual(main);
    expect(busiestLoop(main, [], [], 1)).toEqual(main);
  });
});
