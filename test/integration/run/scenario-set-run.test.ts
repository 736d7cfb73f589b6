import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../../src/harness/compare/comparison-types.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { killHard, startCli, type Cli } from '../../support/processes.ts';

// `faultline run A.yaml B.yaml` through the real CLI, shortened: the two price-partitioning
// scenarios one after another, then one comparison of them in reports/range-price-set/<run-id>/.

const MEMBERS = ['range-price', 'hash-price'] as const;

let reports: string;
let cli: Cli | undefined;
let exit: { code: number | null; signal: NodeJS.Signals | null };
let setDir: string;

beforeAll(async () => {
  reports = await mkdtemp(join(tmpdir(), 'faultline-set-'));
  const files = MEMBERS.map((name) => `scenarios/partitioning/${name}.yaml`);
  // 4 s, not 2: fan-out is probed for the operations the run completed, and at the few dozen
  // operations a second of a loaded machine a 2 s run once completed no browse-price (1 in 10).
  cli = startCli(['run', ...files, '--set', 'workload.duration=4s', '--set', 'workload.warmup=500ms', '--out', reports]);
  exit = await Promise.race([cli.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('set took over 240 s')), 240_000))]);
  const root = join(reports, 'range-price-set');
  setDir = join(root, (await readdir(root)).find((name) => name !== 'latest')!);
}, 300_000);

afterAll(async () => {
  await killHard(cli);
  await rm(reports, { recursive: true, force: true });
});

describe('faultline run with several scenario files', () => {
  it('runs them in order, exits 0 and says where the comparison is', () => {
    expect(exit, cli!.stderr()).toEqual({ code: 0, signal: null });
    const out = cli!.stdout();
    const starts = MEMBERS.map((name, i) => out.indexOf(`scenario ${i + 1}/2: ${name}`));
    expect(starts.every((at) => at >= 0) && starts[0]! < starts[1]!).toBe(true);
    expect(out).toMatch(/^set 2 of 2 scenarios ran:$/m);
    expect(out).toMatch(/^comparison: .*range-price-set.*comparison\.md$/m);
  });

  it('leaves a run folder per scenario and one comparison of both', async () => {
    const results = await Promise.all(MEMBERS.map(async (name) => JSON.parse(await readFile(join(setDir, name, 'results.json'), 'utf8')) as RunResults));
    expect(results.map((r) => r.resolvedScenario.name)).toEqual([...MEMBERS]);
    // The point of the pair: a price band prunes to one shard only when products are split by price.
    expect(results.map((r) => r.operations['browse-price']?.fanout)).toEqual([1, 3]);
    const comparison = JSON.parse(await readFile(join(setDir, 'comparison.json'), 'utf8')) as Comparison;
    expect(comparison.runs.map((run) => run.label)).toEqual([...MEMBERS]);
    for (const file of ['comparison.md', 'comparison.html']) expect(existsSync(join(setDir, file)), file).toBe(true);
    expect(existsSync(join(reports, 'range-price-set', 'latest'))).toBe(true);
    expect(existsSync(join(setDir, '.staging'))).toBe(false);
  });
});
