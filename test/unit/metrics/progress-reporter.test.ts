import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunClock } from '../../../src/harness/history/run-clock.ts';
import { LatencyRecorder } from '../../../src/harness/metrics/latency-recorder.ts';
import { formatProgressLine, type ProgressDisplay, type ProgressTick } from '../../../src/harness/metrics/progress-line.ts';
import { ProgressReporter } from '../../../src/harness/metrics/progress-reporter.ts';

// The reporter is driven by fake timers and a clock the test moves, so every figure it prints
// is exact: the plain lines are what CI logs show, and timeseries.jsonl feeds the charts.

let dir: string;
let now: number;
const clock: RunClock = { origin: 0, wallOrigin: new Date(0), now: () => now };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-progress-'));
  now = 0;
  vi.useFakeTimers();
});

afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

/** Moves the run clock and the timers together, one progress interval at a time. */
function advance(ms: number): void {
  now += ms;
  vi.advanceTimersByTime(ms);
}

async function seriesRows(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  return text.trim().split('\n').map((line) => JSON.parse(line) as unknown);
}

describe('ProgressReporter, plain lines (stdout not a terminal)', () => {
  it('prints one line per interval in the established format and streams the same rows', async () => {
    const recorder = new LatencyRecorder();
    const printed: string[] = [];
    const series = join(dir, 'timeseries.jsonl');
    const faults: string[] = [];
    {
      await using progress = new ProgressReporter(recorder, clock, series, 4_000, (line) => printed.push(line));
      progress.activeFaults = () => faults;
      progress.start(1_000, 0);
      for (let i = 0; i < 100; i++) recorder.record('view-product', 'ok', 2, undefined, false);
      advance(1_000);
      progress.phase = 'run';
      faults.push('kill', 'latency');
      for (let i = 0; i < 250; i++) recorder.record('checkout', i < 3 ? 'fail' : 'ok', 150, 'out-of-stock', true);
      progress.log('  fault start kill primary');
      advance(1_000);
    }
    expect(printed).toEqual([
      '[warmup    1s/4s]    100 ops/s  p50   2.00 ms  p99    2.00 ms  errors 0',
      '  fault start kill primary',
      '[run       2s/4s]    250 ops/s  p50    150 ms  p99     150 ms  errors 3  faults: kill, latency',
    ]);
    expect(await seriesRows(series)).toEqual([
      { t: 1, phase: 'warmup', opsPerSec: 100, p50: 2, p99: 2, errors: 0, faults: [] },
      { t: 2, phase: 'run', opsPerSec: 250, p50: 150.015, p99: 150.015, errors: 3, faults: ['kill', 'latency'] },
    ]);
  });

  it('writes the same time series whatever the display, and stops the display on dispose', async () => {
    const recorder = new LatencyRecorder();
    const ticks: ProgressTick[] = [];
    const events: string[] = [];
    const display: ProgressDisplay = {
      tick: (tick) => ticks.push(tick),
      log: (line) => events.push(`log ${line}`),
      stop: () => events.push('stop'),
    };
    const series = join(dir, 'timeseries.jsonl');
    {
      await using progress = new ProgressReporter(recorder, clock, series, 3_000, () => events.push('print'), display);
      progress.start(1_000, 0);
      recorder.record('checkout', 'info', 10, 'timeout', true);
      advance(1_000);
      progress.log('hello');
    }
    expect(events).toEqual(['log hello', 'stop']);
    expect(ticks.map((tick) => [tick.elapsedMs, tick.totalMs, tick.row.errors])).toEqual([[1_000, 3_000, 1]]);
    expect(await seriesRows(series)).toEqual([{ t: 1, phase: 'warmup', opsPerSec: 1, p50: 10.007, p99: 10.007, errors: 1, faults: [] }]);
  });
});

describe('formatProgressLine', () => {
  const row = { t: 0, phase: 'run', opsPerSec: 12_345, p50: 0.5, p99: 1234.5, errors: 7, faults: [] };

  it('pads columns so consecutive lines line up', () => {
    expect(formatProgressLine({ row, elapsedMs: 61_400, totalMs: 120_000 })).toBe(
      '[run      61s/120s]  12345 ops/s  p50   0.50 ms  p99    1235 ms  errors 7',
    );
  });
});
