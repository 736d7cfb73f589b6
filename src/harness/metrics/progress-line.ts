// What a progress tick shows, and the plain-line display used when stdout is not a terminal
// (CI logs, files, pipes): one self-contained line per tick, as wrk2 and k6 print, because a
// log cannot redraw a bar and a reader greps it line by line.

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

/** One tick as a display receives it: the row plus where the run stands. */
export interface ProgressTick {
  readonly row: ProgressRow;
  /** Since warmup began (the load's start), in ms. */
  readonly elapsedMs: number;
  /** Warmup plus measured run, in ms. */
  readonly totalMs: number;
}

/** Where ticks and the nemesis' lines go: plain lines, or a bar with the lines logged above it. */
export interface ProgressDisplay {
  tick(tick: ProgressTick): void;
  log(line: string): void;
  stop(): void;
}

export const formatMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(2));

export function formatProgressLine({ row, elapsedMs, totalMs }: ProgressTick): string {
  const elapsed = (elapsedMs / 1000).toFixed(0).padStart(4);
  const total = (totalMs / 1000).toFixed(0);
  const faults = row.faults.length ? `  faults: ${row.faults.join(', ')}` : '';
  return (
    `[${row.phase.padEnd(6)} ${elapsed}s/${total}s] ${String(row.opsPerSec).padStart(6)} ops/s  ` +
    `p50 ${formatMs(row.p50).padStart(6)} ms  p99 ${formatMs(row.p99).padStart(7)} ms  errors ${row.errors}${faults}`
  );
}

export class ProgressLines implements ProgressDisplay {
  constructor(private readonly print: (line: string) => void) {}

  tick(tick: ProgressTick): void {
    this.print(formatProgressLine(tick));
  }

  log(line: string): void {
    this.print(line);
  }

  stop(): void {}
}
