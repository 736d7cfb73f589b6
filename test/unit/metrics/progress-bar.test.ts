import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressBar, type ProgressStream } from '../../../src/harness/metrics/progress-bar.ts';
import type { ProgressTick } from '../../../src/harness/metrics/progress-line.ts';

// A fake terminal: it records what the bar writes, so the test can check that a logged line is
// written whole, on its own line, before the bar is drawn again below it. The real terminal is
// exercised by hand in tmux (see the report); this pins the behaviour.

class FakeTerminal implements ProgressStream {
  readonly isTTY = true;
  readonly columns = 200;
  readonly chunks: string[] = [];
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
  get text(): string {
    return stripVTControlCharacters(this.chunks.join(''));
  }
  /** What a terminal would show: cursor moves to column 0, line clears and newlines applied. */
  get screen(): string[] {
    const lines = [''];
    let col = 0;
    const codes = /\x1b\[(\d*)([A-Za-z])|\n|[^\x1b\n]+/g;
    for (const [token, n, command] of this.chunks.join('').matchAll(codes)) {
      const row = lines.length - 1;
      const line = lines[row] ?? '';
      if (token === '\n') {
        lines.push('');
        col = 0;
      } else if (command === 'G') col = Math.max(0, Number(n || 1) - 1);
      else if (command === 'K') lines[row] = n === '2' ? '' : line.slice(0, col);
      else if (command === undefined) {
        lines[row] = line.slice(0, col).padEnd(col) + token + line.slice(col + token.length);
        col += token.length;
      }
    }
    return lines;
  }
}

const tick = (elapsedS: number, phase: string, faults: string[] = []): ProgressTick => ({
  row: { t: elapsedS, phase, opsPerSec: 1234, p50: 1.5, p99: 12.25, errors: 2, faults },
  elapsedMs: elapsedS * 1000,
  totalMs: 23_000,
});

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ProgressBar (stdout is a terminal)', () => {
  it('draws phase, elapsed/total, ops/s, p99, errors and active faults', () => {
    const terminal = new FakeTerminal();
    const bar = new ProgressBar(terminal);
    bar.tick(tick(12, 'run', ['kill']));
    vi.advanceTimersByTime(500);
    bar.stop();
    const lines = terminal.screen.filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^run\s+█+░+ 12s\/23s \|\s+1234 ops\/s \| p99\s+12\.25 ms \| errors 2 \| faults: kill$/);
    expect(terminal.text.endsWith('\n')).toBe(true);
  });

  it('logs a line above the bar, whole, and redraws the bar below it', () => {
    const terminal = new FakeTerminal();
    const bar = new ProgressBar(terminal);
    bar.tick(tick(3, 'warmup'));
    vi.advanceTimersByTime(300);
    terminal.chunks.length = 0;
    bar.log('  fault start kill primary');
    const written = terminal.chunks.join('');
    // The bar's line is cleared first (ESC [2K), then the log line, then the bar again.
    expect(written.indexOf('\x1b[2K')).toBeLessThan(written.indexOf('  fault start kill primary\n'));
    expect(stripVTControlCharacters(written)).toMatch(/^ {2}fault start kill primary\nwarmup\s+█+░+\s+3s\/23s/);
    bar.tick(tick(4, 'warmup'));
    vi.advanceTimersByTime(300);
    bar.log('  fault heal  kill primary');
    bar.stop();
    expect(terminal.screen).toEqual([
      '  fault start kill primary',
      '  fault heal  kill primary',
      expect.stringMatching(/^warmup\s+█+░+\s+4s\/23s \|/),
      '',
    ]);
  });

  it('before the first tick and after stop, a log line is written as it is', () => {
    const terminal = new FakeTerminal();
    const bar = new ProgressBar(terminal);
    bar.log('early');
    bar.stop();
    bar.log('late');
    expect(terminal.text).toBe('early\nlate\n');
  });

  it('keeps the bar full while the heal phase runs past the planned end', () => {
    const terminal = new FakeTerminal();
    const bar = new ProgressBar(terminal);
    bar.tick(tick(30, 'run'));
    bar.stop();
    expect(terminal.text).toMatch(/^heal\s+█{24} 30s\/23s/m);
  });
});
