import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// What every benchmark shares: medians, the verdict wording, the JSON figures file, and the
// search for servers a benchmark forgot to stop.

export const run = promisify(execFile);

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const RESULTS_DIR = join(BENCH_DIR, 'results');

/**
 * Every directory and run id a benchmark creates carries this marker, so the leak check can tell
 * our servers from those of tests running concurrently on the same machine.
 */
export const BENCH_MARKER = `faultline-bench-${process.pid}`;

export interface BenchReport {
  readonly name: string;
  /** The one line that states figure, baseline, ratio, goal and verdict. */
  readonly line: string;
  readonly met: boolean;
  /** Context printed under the line (reference figures that are not part of the ratio). */
  readonly detail?: string;
}

export type Print = (line: string) => void;

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Benchmarks report, they do not gate: a missed goal must stand out, not fail the command. */
export function verdict(met: boolean): string {
  return met ? 'OK' : 'MISSED';
}

export function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** Load and CPU count go into every figures file: on a shared 2-core VM they explain outliers. */
export function environment(): Record<string, unknown> {
  return {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadavgWhenWritten: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

/** bench/results/<name>.json, so the figures behind a printed line can be quoted later. */
export async function writeFigures(name: string, figures: Record<string, unknown>): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.json`);
  const body = { bench: name, measuredAt: new Date().toISOString(), environment: environment(), ...figures };
  await writeFile(path, `${JSON.stringify(body, null, 2)}\n`);
  return path;
}

/** `pgrep -u postgres -x postgres -a`, as lines "pid args"; empty when no server runs at all. */
export async function postgresProcesses(): Promise<string[]> {
  // pgrep exits 1 when nothing matches, which is the good case here.
  const out = await run('pgrep', ['-u', 'postgres', '-x', 'postgres', '-a']).then(
    (r) => r.stdout,
    () => '',
  );
  return out.split('\n').filter((line) => line.trim() !== '');
}

/** Postmasters whose command line names a directory of ours (the marker is in every path). */
export async function leakedServers(marker = BENCH_MARKER): Promise<string[]> {
  return (await postgresProcesses()).filter((line) => line.includes(marker));
}

/** Times an async step with the monotonic clock, in milliseconds. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}
