import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLatest } from '../../../src/harness/report/report-dir.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import type { SizingReport } from '../../../src/harness/sizing/sizing-types.ts';
import { killHard, startCli, type Cli } from '../../support/processes.ts';

// `faultline size` through the real CLI against real PostgreSQL: the quickstart at three
// concurrency levels, shortened, one after another; then the USL fit and the sizing files.

const LEVELS = [1, 2, 4];

let reports: string;
let cli: Cli | undefined;
let exit: { code: number | null; signal: NodeJS.Signals | null };
let dir: string;
let report: SizingReport;

/** One `faultline size` run into a fresh folder: its exit, folder and sizing.json. */
async function sizeOnce(): Promise<void> {
  await killHard(cli);
  if (reports) await rm(reports, { recursive: true, force: true });
  reports = await mkdtemp(join(tmpdir(), 'faultline-size-'));
  cli = startCli([
    'size', 'scenarios/quickstart.yaml', '--concurrency', LEVELS.join(','), '--duration', '2s', '--target', '500',
    '--set', 'workload.warmup=500ms', '--out', reports,
  ]);
  exit = await Promise.race([cli.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('size took over 180 s')), 180_000))]);
  dir = join(reports, 'quickstart-sizing', (await readLatest(reports, 'quickstart-sizing'))!);
  report = JSON.parse(await readFile(join(dir, 'sizing.json'), 'utf8')) as SizingReport;
}

beforeAll(async () => {
  await sizeOnce();
  // A 2 s level with one second in which other processes (the suite's other files, on two
  // cores) had the CPU is marked cpu-contended, and size then rightly calls no peak. That says
  // the machine was shared, not that size is wrong: measure once more, and say so.
  const contended = report.groups[0]?.levels.filter((l) => l.harnessBound?.mark === 'cpu-contended') ?? [];
  if (exit.code === 1 && contended.length > 0) {
    console.warn(`size-run: N=${contended.map((l) => l.concurrency).join(', ')} cpu-contended (other processes had the CPU); measuring again`);
    await sizeOnce();
  }
}, 420_000);

afterAll(async () => {
  await killHard(cli);
  await rm(reports, { recursive: true, force: true });
});

describe('faultline size scenarios/quickstart.yaml --concurrency 1,2,4', () => {
  it('runs each level in turn, exits 0 and prints measured and extrapolated figures apart', () => {
    expect(exit, cli!.stderr()).toEqual({ code: 0, signal: null });
    const out = cli!.stdout();
    const starts = LEVELS.map((n, i) => out.indexOf(`variant ${i + 1}/3: concurrency=${n}`));
    expect(starts.every((at) => at >= 0) && starts[0]! < starts[1]! && starts[1]! < starts[2]!).toBe(true);
    expect(out).toMatch(/^MEASURED$/m);
    expect(out).toMatch(/^FITTED \(orders\/s\): X\(N\) = λN/m);
    expect(out).toMatch(/^  λ = .*, σ = .*, κ = .*; R² .*, RMSE .* orders\/s, max relative error/m);
    expect(out).toMatch(/^PEAK \((extrapolated|modelled, within the measured levels)\)$/m);
    expect(out).toMatch(/^EXTRAPOLATED: units for 500 orders\/s \(nothing past one unit was run\)$/m);
    expect(out).toMatch(/^  Measured per unit, scale-out assumed: the best level measured, N = \d, delivered .* orders\/s; 500 orders\/s needs \d+ units? \(\d+ nodes?\)\.$/m);
    expect(out).toMatch(/^sizing: .*quickstart-sizing.*sizing\.md/m);
  });

  it('measures every level with a closed loop at its concurrency and the same seed', async () => {
    const runs = await Promise.all(LEVELS.map(async (n) => JSON.parse(await readFile(join(dir, `concurrency=${n}`, 'results.json'), 'utf8')) as RunResults));
    expect(runs.map((r) => r.resolvedScenario.workload.loop)).toEqual(LEVELS.map((concurrency) => ({ kind: 'closed', concurrency })));
    expect(runs.map((r) => [r.scenario.seed, r.run.status, r.resolvedScenario.workload.duration])).toEqual(LEVELS.map(() => [42, 'completed', 2000]));
    const levels = report.groups[0]!.levels;
    expect(levels.map((l) => [l.concurrency, l.status, l.fitted, l.dir])).toEqual(LEVELS.map((n) => [n, 'completed', true, `concurrency=${n}`]));
    levels.forEach((level, i) => {
      expect(level.ordersPerSecond).toBeCloseTo(runs[i]!.operations.checkout!.ok / (runs[i]!.run.measuredMs / 1000), 9);
      expect(level.ordersPerSecond).toBeGreaterThan(0);
      expect(level.okOpsPerSecond).toBeGreaterThan(level.ordersPerSecond!);
    });
  });

  it('reports the fit, its error, the peak and the units for the target, with the assumptions', () => {
    const group = report.groups[0]!;
    const fit = group.orders;
    if (fit.kind !== 'fitted') throw new Error(`not fitted: ${fit.reason}`);
    expect(fit.parameters.lambda).toBeGreaterThan(0);
    expect(fit.parameters.sigma).toBeGreaterThanOrEqual(0);
    expect(fit.parameters.sigma).toBeLessThanOrEqual(1);
    expect(fit.parameters.kappa).toBeGreaterThanOrEqual(0);
    expect(fit.quality).toMatchObject({ points: 3, levels: 3, degreesOfFreedom: 0, rmse: expect.any(Number), maxRelativeError: expect.any(Number) });
    expect(['peak', 'ceiling', 'unbounded']).toContain(fit.peak.kind);
    expect(group.operations.kind).toBe('fitted');
    expect(group.unit).toEqual({ kind: 'pg-single-leader', nodes: ['primary', 'replica1', 'replica2'] });
    expect(group.sizing?.target).toBe(500);
    expect(group.sizing?.measured.units).toBeGreaterThanOrEqual(1);
    expect(group.sizing?.measured.nodes).toBe(group.sizing!.measured.units! * 3);
    expect(report.assumptions.length).toBeGreaterThanOrEqual(8);
    expect(report.warnings.join('\n')).toMatch(/Only 3 levels for 3 parameters/);
  });

  it('writes sizing.md and sizing.html beside the level runs and their comparison', async () => {
    for (const file of ['sizing.md', 'sizing.html', 'comparison.md', 'comparison.json', 'matrix.json']) expect(existsSync(join(dir, file)), file).toBe(true);
    expect(existsSync(join(dir, '.staging'))).toBe(false);
    const md = await readFile(join(dir, 'sizing.md'), 'utf8');
    for (const heading of ['### Measured', '### Fitted: X(N)', '### Sizing for 500 orders/s', '## Assumptions']) expect(md).toContain(heading);
    expect((await readFile(join(dir, 'sizing.html'), 'utf8')).match(/<svg/g)).toHaveLength(1);
  });
});
