import { MultiBar, type SingleBar } from 'cli-progress';
import { formatMs, type ProgressDisplay, type ProgressTick } from './progress-line.ts';

// The terminal display: one bar redrawn in place, with the nemesis' lines logged above it.
// cli-progress's MultiBar (even for a single bar) is used because only it can log: it clears the
// bar's line, writes the buffered lines, then redraws the bar below them, so a fault line never
// lands in the middle of a half-drawn bar.

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): boolean;
}

interface Payload {
  readonly phase: string;
  readonly elapsed: string;
  readonly total: string;
  readonly ops: string;
  readonly p99: string;
  readonly errors: string;
  readonly faults: string;
}

function payload({ row, elapsedMs, totalMs }: ProgressTick): Payload {
  // Past the planned end the load has stopped and the run is healing its faults (restarts,
  // rewinds), which can take a while: say so, rather than a full bar reading "run" at 0 ops/s.
  const phase = elapsedMs > totalMs + 500 ? 'heal' : row.phase;
  return {
    phase: phase.padEnd(6),
    elapsed: (elapsedMs / 1000).toFixed(0).padStart(String(Math.round(totalMs / 1000)).length),
    total: (totalMs / 1000).toFixed(0),
    ops: String(row.opsPerSec).padStart(6),
    p99: formatMs(row.p99).padStart(7),
    errors: String(row.errors),
    faults: row.faults.length ? ` | faults: ${row.faults.join(', ')}` : '',
  };
}

export class ProgressBar implements ProgressDisplay {
  private readonly multi: MultiBar;
  private bar: SingleBar | undefined;
  private stopped = false;

  constructor(private readonly stream: ProgressStream = process.stdout) {
    this.multi = new MultiBar({
      // NodeJS.WritableStream is wider than what the terminal helper uses (write, isTTY, columns).
      stream: stream as NodeJS.WritableStream,
      format: '{phase} {bar} {elapsed}s/{total}s | {ops} ops/s | p99 {p99} ms | errors {errors}{faults}',
      barCompleteChar: '\u2588',
      barIncompleteChar: '\u2591',
      barsize: 24,
      // Figures change once a second; redrawing more often only costs the driver's event loop.
      fps: 4,
      // A logged line clears the bar's row; an unchanged bar would otherwise stay blank until the
      // next tick changes a figure.
      forceRedraw: true,
      // Trim the bar to the terminal's width: a wrapped bar cannot be redrawn in place.
      linewrap: true,
      // The run's own SIGINT handler stops the load and disposes of the reporter, which stops the
      // bar; a second handler here would race it. The cursor is never hidden, so nothing to restore.
      gracefulExit: false,
      hideCursor: false,
      autopadding: true,
    });
  }

  tick(tick: ProgressTick): void {
    if (this.stopped) return;
    const total = Math.max(1, Math.round(tick.totalMs / 1000));
    // The heal phase runs past the planned end: the bar stays full while its counters go on.
    const value = Math.min(total, Math.round(tick.elapsedMs / 1000));
    if (this.bar === undefined) this.bar = this.multi.create(total, value, payload(tick));
    else this.bar.update(value, payload(tick));
  }

  log(line: string): void {
    if (this.bar === undefined || this.stopped) {
      this.stream.write(`${line}\n`);
      return;
    }
    this.multi.log(`${line}\n`);
    // Flush now rather than at the next frame: stop() renders the bar without the log buffer.
    this.multi.update();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.bar === undefined) return;
    this.multi.update();
    this.multi.stop();
  }
}
