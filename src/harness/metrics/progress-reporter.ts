import { createWriteStream, type WriteStream } from 'node:fs';
import type { RunClock } from '../history/run-clock.ts';
import type { LatencyRecorder } from './latency-recorder.ts';
import { ProgressBar } from './progress-bar.ts';
import { ProgressLines, type ProgressDisplay, type ProgressRow } from './progress-line.ts';

export type { ProgressRow } from './progress-line.ts';

/**
 * A bar when a person is watching a terminal; plain lines when stdout is a file, a pipe or a CI
 * log, where redrawing would leave control characters and one line per tick greps better.
 * FAULTLINE_PROGRESS=lines forces lines (a terminal recorder, a screen reader). The bar owns
 * stdout while it is shown, so `print` only receives the lines of the plain display.
 */
export function chooseProgressDisplay(print: (line: string) => void): ProgressDisplay {
  if (process.stdout.isTTY === true && process.env.FAULTLINE_PROGRESS !== 'lines') return new ProgressBar(process.stdout);
  return new ProgressLines(print);
}

/**
 * Progress every interval (elapsed, ops/s, p50, p99, errors, active faults), shown by a display
 * (lines or a bar), and the same figures streamed to timeseries.jsonl for charts whatever the
 * display; nothing accumulates in memory. Other lines printed during the load (the nemesis')
 * go through log() so that a bar is never garbled by them.
 */
export class ProgressReporter implements AsyncDisposable {
  private timer: NodeJS.Timeout | undefined;
  private last: number;
  private readonly series: WriteStream;
  private readonly display: ProgressDisplay;
  phase = 'warmup';
  activeFaults: () => readonly string[] = () => [];

  constructor(
    private readonly recorder: LatencyRecorder,
    private readonly clock: RunClock,
    seriesPath: string,
    private readonly totalMs: number,
    print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
    display?: ProgressDisplay,
  ) {
    this.last = clock.now();
    this.series = createWriteStream(seriesPath, { flags: 'a' });
    this.display = display ?? new ProgressLines(print);
  }

  start(everyMs: number, startedAt: number): void {
    this.last = this.clock.now();
    this.timer = setInterval(() => this.tick(startedAt), everyMs);
  }

  /**
   * Another series' row in timeseries.jsonl (the saturation sampler's, `series: "saturation"`);
   * progress rows carry no `series` field.
   */
  writeRow(series: string, row: object): void {
    this.series.write(`${JSON.stringify({ series, ...row })}\n`);
  }

  /** A line for people (a fault starting or healing), shown without breaking the progress display. */
  log(line: string): void {
    this.display.log(line);
  }

  private tick(startedAt: number): void {
    const now = this.clock.now();
    const stats = this.recorder.takeInterval();
    const seconds = (now - this.last) / 1000;
    this.last = now;
    const row: ProgressRow = {
      t: +(now / 1000).toFixed(3),
      phase: this.phase,
      opsPerSec: seconds > 0 ? Math.round(stats.ops / seconds) : 0,
      p50: stats.p50,
      p99: stats.p99,
      errors: stats.errors,
      faults: [...this.activeFaults()],
    };
    this.series.write(`${JSON.stringify(row)}\n`);
    this.display.tick({ row, elapsedMs: now - startedAt, totalMs: this.totalMs });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    clearInterval(this.timer);
    this.display.stop();
    await new Promise<void>((resolve) => this.series.end(() => resolve()));
  }
}
