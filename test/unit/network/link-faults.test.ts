import { describe, expect, it } from 'vitest';
import { NO_FAULTS, resolveFaults, type LinkFaults } from '../../../src/harness/network/link-faults.ts';

describe('resolveFaults', () => {
  it('applies a both-ways setting to each direction', () => {
    const resolved = resolveFaults({ both: { latency: { delayMs: 10, jitterMs: 2 }, bandwidth: { bytesPerSecond: 5_000 } } });
    const expected = { mode: 'pass', delayMs: 10, jitterMs: 2, bytesPerSecond: 5_000 };
    expect(resolved).toEqual({ upstream: expected, downstream: expected });
  });

  it('leaves a direction that is not named healed', () => {
    expect(resolveFaults({ upstream: { mode: 'blackhole' } })).toEqual({
      upstream: { ...NO_FAULTS, mode: 'blackhole' },
      downstream: NO_FAULTS,
    });
    expect(resolveFaults({})).toEqual({ upstream: NO_FAULTS, downstream: NO_FAULTS });
  });

  it.each<[string, LinkFaults]>([
    ['a negative delay', { both: { latency: { delayMs: -1 } } }],
    ['a NaN jitter', { both: { latency: { delayMs: 1, jitterMs: Number.NaN } } }],
    ['a zero bandwidth', { downstream: { bandwidth: { bytesPerSecond: 0 } } }],
    ['an unknown mode', { upstream: { mode: 'drop' as 'pass' } }],
  ])('rejects %s', (_what, faults) => {
    expect(() => resolveFaults(faults)).toThrow(RangeError);
  });
});
