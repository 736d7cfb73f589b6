import { describe, expect, it } from 'vitest';
import { NO_FAULTS, type ResolvedFaults } from '../../../src/harness/network/link-faults.ts';
import { isDirect, releaseTime, sliceBytes } from '../../../src/harness/network/release-time.mjs';

const faults = (overrides: Partial<ResolvedFaults>): ResolvedFaults => ({ ...NO_FAULTS, ...overrides });

describe('releaseTime', () => {
  it('adds the delay', () => {
    expect(releaseTime({ lastAt: 0 }, { busyUntil: 0 }, faults({ delayMs: 20 }), 100, 10)).toBe(120);
  });

  it('keeps release times of one stream monotone whatever the jitter draws', () => {
    const stream = { lastAt: 0 };
    const path = { busyUntil: 0 };
    const jittery = faults({ delayMs: 5, jitterMs: 5 });
    // Alternating extreme draws: the second chunk would otherwise overtake the first.
    const draws = [0.999, 0, 0.999, 0, 0.5];
    const times = draws.map((draw, i) => releaseTime(stream, path, jittery, i * 0.1, 100, () => draw));
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(times[1]).toBe(times[0]);
  });

  it('never releases before the chunk arrived, even with jitter larger than the delay', () => {
    const at = releaseTime({ lastAt: 0 }, { busyUntil: 0 }, faults({ delayMs: 1, jitterMs: 10 }), 50, 1, () => 0);
    expect(at).toBe(50);
  });

  it('serialises bytes on the shared path at the configured rate', () => {
    const path = { busyUntil: 0 };
    const slow = faults({ bytesPerSecond: 1_000 });
    // Two connections share the path: the second waits for the first's bytes.
    expect(releaseTime({ lastAt: 0 }, path, slow, 0, 500)).toBe(500);
    expect(releaseTime({ lastAt: 0 }, path, slow, 0, 500)).toBe(1_000);
    // An idle path starts from now, not from when it was last busy.
    expect(releaseTime({ lastAt: 0 }, path, slow, 5_000, 100)).toBe(5_100);
  });

  it('gives a FIN or RST the latency but no transmission time', () => {
    expect(releaseTime({ lastAt: 0 }, { busyUntil: 0 }, faults({ delayMs: 3, bytesPerSecond: 10 }), 10, 0)).toBe(13);
  });
});

describe('sliceBytes and isDirect', () => {
  it('slices to 10 ms of bytes, and not at all without a bandwidth limit', () => {
    expect(sliceBytes(100_000)).toBe(1_000);
    expect(sliceBytes(50)).toBe(1);
    expect(sliceBytes(0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('takes the direct path only with no fault at all', () => {
    expect(isDirect(NO_FAULTS)).toBe(true);
    expect(isDirect(faults({ jitterMs: 1 }))).toBe(false);
    expect(isDirect(faults({ bytesPerSecond: 1 }))).toBe(false);
    expect(isDirect(faults({ mode: 'blackhole' }))).toBe(false);
  });
});
