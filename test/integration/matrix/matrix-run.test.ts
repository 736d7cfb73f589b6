import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../../src/harness/compare/comparison-types.ts';
import { readLatest } from '../../../src/harness/report/report-dir.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { killHard, startCli, waitUntil, type Cli } from '../../support/processes.ts';

// The shipped matrix scenario, shortened, through the real CLI: three replication modes against
// real servers one after another, one comparison; then `faultline compare` on what it left.

const VARIANTS = ['replication=async', 'replication=sync', 'replication=remote_apply'];

let reports: string;
let cli: Cli | undefined;
let exit: { code: number | null; signal: NodeJS.Signals | null };
let matrixDir: string;
let variants: RunResults[];
let comparison: Comparison;

async function faultline(args: readonly string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startCli(args);
  try {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`faultline ${args[0]} took over ${timeoutMs} ms`)), timeoutMs));
    const { code } = await Promise.race([child.exited, timeout]);
    return { code, stdout: child.stdout(), stderr: child.stderr() };
  } finally {
    await killHard(child);
  }
}

beforeAll(async () => {
  reports = await mkdtemp(join(tmpdir(), 'faultline-matrix-'));
  cli = startCli(['run', 'scenarios/matrix-replication.yaml', '--set', 'workload.duration=2s', '--set', 'workload.warmup=500ms', '--out', reports]);
  exit = await Promise.race([cli.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('matrix took over 240 s')), 240_000))]);
  const scenarioDir = join(reports, 'matrix-replication');
  matrixDir = join(scenarioDir, (await readdir(scenarioDir)).find((name) => name !== 'latest')!);
  variants = await Promise.all(VARIANTS.map(async (slug) => JSON.parse(await readFile(join(matrixDir, slug, 'results.json'), 'utf8')) as RunResults));
  comparison = JSON.parse(await readFile(join(matrixDir, 'comparison.json'), 'utf8')) as Comparison;
}, 300_000);

afterAll(async () => {
  await killHard(cli);
  await rm(reports, { recursive: true, force: true });
});

describe('faultline run scenarios/matrix-replication.yaml', () => {
  it('runs the three variants one after another and exits 0', () => {
    expect(exit, cli!.stderr()).toEqual({ code: 0, signal: null });
    const out = cli!.stdout();
    const starts = VARIANTS.map((label, i) => out.indexOf(`variant ${i + 1}/3: ${label}`));
    expect(starts.every((at) => at >= 0)).toBe(true);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(out).toMatch(/^matrix 3 of 3 variants ran:$/m);
    expect(out).toMatch(/^comparison: .*comparison\.md$/m);
  });

  it('leaves a complete run folder per variant, each with its value and the same seed, never overlapping', async () => {
    expect((await readdir(matrixDir)).sort()).toEqual(['comparison.html', 'comparison.json', 'comparison.md', 'matrix.json', ...VARIANTS].sort());
    expect(variants.map((r) => ('replication' in r.resolvedScenario.topology ? r.resolvedScenario.topology.replication : undefined))).toEqual(['async', 'sync', 'remote_apply']);
    expect(variants.map((r) => r.scenario.seed)).toEqual([7, 7, 7]);
    for (const results of variants) {
      expect(results.run.status).toBe('completed');
      expect(results.resolvedScenario.workload.duration).toBe(2_000);
      expect(results.totals.count).toBeGreaterThan(0);
      expect(results.checks.invariants?.verdict).toBe('valid');
    }
    for (const slug of VARIANTS) expect(existsSync(join(matrixDir, slug, 'report.md')), slug).toBe(true);
    // One at a time: each variant started after the previous one finished.
    for (let i = 1; i < variants.length; i++) expect(Date.parse(variants[i]!.run.startedAt)).toBeGreaterThanOrEqual(Date.parse(variants[i - 1]!.run.finishedAt));
    expect(await readLatest(reports, 'matrix-replication')).toBe(matrixDir.split('/').at(-1));
  });

  it('writes one comparison with the three variants side by side', async () => {
    expect(comparison.runs.map((run) => [run.label, run.dir, run.status])).toEqual(VARIANTS.map((label) => [label, label, 'completed']));
    expect(comparison.differences).toEqual([{ path: 'topology.replication', values: ['async', 'sync', 'remote_apply'] }]);
    expect(comparison.checks.map((c) => c.check)).toEqual(['invariants', 'read-your-writes', 'replication-lag']);
    for (const check of comparison.checks) expect(check.verdicts.every((v) => v === 'valid' || v === 'invalid' || v === 'unknown')).toBe(true);
    const p99 = comparison.metrics.find((m) => m.metric === 'p99')!;
    expect(p99.rows.find((row) => row.operation === 'checkout')!.values).toEqual(variants.map((r) => r.operations.checkout!.latencyMs.p99));
    const md = await readFile(join(matrixDir, 'comparison.md'), 'utf8');
    expect(md).toContain('| check | replication=async | replication=sync | replication=remote\\_apply |');
    expect(md).toContain('[report.md](<replication=sync/report.md>)');
    const page = await readFile(join(matrixDir, 'comparison.html'), 'utf8');
    expect(page.match(/<svg/g)).toHaveLength(2);
  });

  it('is rebuilt from disk by faultline compare, from the matrix folder or from the variant folders', async () => {
    const out = join(reports, 'compared');
    const fromMatrix = await faultline(['compare', join(reports, 'matrix-replication', 'latest'), '--out', out], 30_000);
    expect(fromMatrix.code, fromMatrix.stderr).toBe(0);
    expect(fromMatrix.stdout).toMatch(/^compared 3 runs: .*comparison\.md, .*comparison\.html, .*comparison\.json$/m);
    const rebuilt = JSON.parse(await readFile(join(out, 'comparison.json'), 'utf8')) as Comparison;
    expect(rebuilt.runs.map((run) => run.label)).toEqual(VARIANTS);
    expect(rebuilt.runs.map((run) => run.dir)).toEqual(VARIANTS.map((slug) => join('..', 'matrix-replication', 'latest', slug)));
    expect({ ...rebuilt, runs: [] }).toEqual({ ...comparison, runs: [] });

    const fromRuns = await faultline(['compare', ...VARIANTS.map((slug) => join(matrixDir, slug))], 30_000);
    expect(fromRuns.code, fromRuns.stderr).toBe(0);
    expect(fromRuns.stdout).toContain('| check | replication=async | replication=sync | replication=remote\\_apply |');
  });

  it('refuses a folder without results.json with exit 2', async () => {
    const result = await faultline(['compare', reports], 30_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/holds no results\.json.*give run folders/);
  });
});

describe('Ctrl-C during a matrix', () => {
  it('interrupts the current variant, starts no other, still writes the comparison, exits 130', async () => {
    const out = join(reports, 'interrupted');
    // The matrix replaced from the command line: a short first variant, a long second one to interrupt.
    const matrix = 'matrix={"workload.duration": [1s, 30s, 2s]}';
    const run = startCli(['run', 'scenarios/matrix-replication.yaml', '--set', matrix, '--set', 'workload.warmup=500ms', '--out', out]);
    try {
      // Once the second variant's servers are up, its run has begun listening for the interrupt.
      await waitUntil('the second variant is running', () => /variant 2\/3[\s\S]*topology ready/.test(run.stdout()), 150_000);
      run.child.kill('SIGINT');
      const ended = await Promise.race([run.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no exit 30 s after SIGINT')), 30_000))]);
      expect(ended, run.stderr()).toEqual({ code: 130, signal: null });
    } finally {
      await killHard(run);
    }
    expect(run.stdout()).not.toContain('variant 3/3');
    const dir = join(out, 'matrix-replication', (await readLatest(out, 'matrix-replication'))!);
    const partial = JSON.parse(await readFile(join(dir, 'comparison.json'), 'utf8')) as Comparison;
    expect(partial.runs.map((r) => [r.label, r.status])).toEqual([
      ['duration=1s', 'completed'],
      ['duration=30s', 'interrupted'],
    ]);
    expect(partial.notRun).toEqual(['duration=2s']);
    expect(await readFile(join(dir, 'comparison.md'), 'utf8')).toContain('Not run (stopped before them): `duration=2s`.');
  }, 240_000);
});
