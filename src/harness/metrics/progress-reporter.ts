import { createWriteStream, type WriteStream } from 'node:fs';
import type { RunClock } from '../driver/run-clock.ts';
import type { LatencyRecorder } from './latency-recorder.ts';

export interface ProgressRow {
  /** Seconds since the run's time origin at the end of the interval. */
  readonly t: number;
  readonly phase: string;
  readonly opsPerSec: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly faults: readonly string[];
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(2));

/**
 * A progress line every interval (elapsed, ops/s, p50, p99, errors), as wrk2 and k6 print, and
 * the same figures streamed to timeseries.jsonl for charts; nothing accumulates in memory.
 */
export class ProgressReporter implements AsyncDisposable {
  private timer: NodeJS.Timeout | undefined;
  private last: number;
  private readonly series: WriteStream;
  phase = 'warmup';
  activeFaults: () => readonly string[] = () => [];

  constructor(
    private readonly recorder: LatencyRecorder,
    private readonly clock: RunClock,
    seriesPath: string,
    private readonly totalMs: number,
    private readonly print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {
    this.last = clock.now();
    this.series = createWriteStream(seriesPath, { flags: 'a' });
  }

  start(everyMs: number, startedAt: number): void {
    this.last = this.clock.now();
    this.timer = setInterval(() => this.tick(startedAt), everyMs);
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
    const elapsed = ((now - startedAt) / 1000).toFixed(0).padStart(4);
    const total = (this.totalMs / 1000).toFixed(0);
    this.print(
      `[${this.phase.padEnd(6)} ${elapsed}s/${total}s] ${String(row.opsPerSec).padStart(6)} ops/s  p50 ${fmt(row.p50).padStart(6)} ms  p99 ${fmt(row.p99).padStart(7)} ms  errors ${row.errors}${row.faults.length ? `  faults: ${row.faults.join(', ')}` : ''}`,
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    clearInterval(this.timer);
    await new Promise<void>((resolve) => this.series.end(() => resolve()));
  }
}
