import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reapRunDir } from '../../../src/harness/process/reaper.mjs';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { killHard, runDirOwnedBy, startCli, type Cli } from '../../support/processes.ts';

// An open loop offered far more than one machine takes (issue 18: it used to drain its queue for
// minutes and report the offered rate): on real local servers it must stop at the end of its
// phase, count what it could not start as dropped, and be marked overloaded with the saturated
// side named. Asserted on marks and counts, never on timings: the machine may be loaded.

let reports: string;
let cli: Cli | undefined;
let runDir: string | undefined;
let exit: { code: number | null; signal: NodeJS.Signals | null };
let reportDir: string;
let results: RunResults;

beforeAll(async () => {
  reports = await mkdtemp(join(tmpdir(), 'faultline-overload-'));
  cli = startCli([
    'run',
    'scenarios/quickstart.yaml',
    '--set',
    'workload.duration=3s',
    '--set',
    'workload.warmup=1s',
    '--set',
    'workload.loop={kind: open, rate: 40000, connections: 16}',
    '--out',
    reports,
  ]);
  try {
    await cli.waitForLine(/^\[warmup/, 90_000);
    runDir = runDirOwnedBy(cli.pid);
  } finally {
    exit = await Promise.race([cli.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('run took over 150 s')), 150_000))]);
  }
  reportDir = join(reports, 'quickstart', (await readdir(join(reports, 'quickstart'))).find((name) => name !== 'latest')!);
  results = JSON.parse(await readFile(join(reportDir, 'results.json'), 'utf8')) as RunResults;
}, 200_000);

afterAll(async () => {
  await killHard(cli);
  if (runDir && existsSync(runDir)) reapRunDir(runDir);
  await rm(reports, { recursive: true, force: true });
});

describe('an open loop offered 40,000 ops/s on local servers', () => {
  it('completes, and stops starting operations when its phase ends (the phase lasts its length plus at most the grace)', () => {
    expect(exit, cli!.stderr()).toEqual({ code: 0, signal: null });
    expect(results.run.status).toBe('completed');
    const grace = 30_000;
    expect(results.run.phasesMs.run).toBe(results.run.measuredMs);
    expect(results.run.measuredMs).toBeGreaterThanOrEqual(2_900);
    expect(results.run.measuredMs).toBeLessThanOrEqual(3_000 + grace);
  });

  it('counts what could not start as dropped, and reports the achieved rate, not the offered one', () => {
    const { load } = results;
    expect(load.dropped).toBeGreaterThan(0);
    expect(load.scheduled).toBe(load.dropped! + results.totals.count);
    expect(load.offeredRate).toBeGreaterThan(35_000);
    expect(load.achievedRate).toBeLessThan(load.offeredRate! / 2);
    // Completed operations over the phase's measured length (run.measuredMs is rounded to the ms).
    expect(load.achievedRate / (results.totals.count / (results.run.measuredMs / 1000))).toBeCloseTo(1, 2);
  });

  it('is marked overloaded in results.json, report.md and the run summary, naming the saturated side', async () => {
    expect(results.marks).toContain('overloaded');
    const overload = results.load.overload!;
    expect(overload.overloaded).toBe(true);
    expect(['harness', 'database', 'both', 'neither']).toContain(overload.saturated);
    expect(overload.explanation).toBeTruthy();
    const md = await readFile(join(reportDir, 'report.md'), 'utf8');
    expect(md).toContain(`OVERLOADED (saturated: ${overload.saturated})`);
    expect(md).toMatch(/\*\*Dropped:\*\* [\d,]+/);
    expect(md).toContain('## Saturation');
    expect(cli!.stdout()).toMatch(/OVERLOADED \(saturated: \w+\)/);
    const page = await readFile(join(reportDir, 'report.html'), 'utf8');
    expect(page).toContain(`OVERLOADED (saturated: ${overload.saturated})`);
  });

  it('samples the harness and the local servers every second into timeseries.jsonl and results.json', async () => {
    const rows = (await readFile(join(reportDir, 'timeseries.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { series?: string; databaseCpu?: number | null; nodeCpu?: Record<string, number> });
    const saturation = rows.filter((row) => row.series === 'saturation');
    expect(saturation.length).toBeGreaterThan(0);
    // Local postgres processes are read from /proc: every node has a figure once it has a baseline.
    expect(saturation.some((row) => row.databaseCpu !== null && Object.keys(row.nodeCpu ?? {}).length === 3)).toBe(true);
    expect(results.saturation).toBeDefined();
    expect(results.saturation!.thresholds.loopUtilization).toBeGreaterThan(0);
  });
});
