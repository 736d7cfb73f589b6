import { existsSync } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reapRunDir } from '../../../src/harness/process/reaper.mjs';
import { readLatest } from '../../../src/harness/report/report-dir.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { OPERATION_NAMES } from '../../../src/harness/scenario/schema.ts';
import { killHard, runDirOwnedBy, runProcesses, running, startCli, type Cli, type SeenProcess } from '../../support/processes.ts';

// The whole product once, as a user runs it: `faultline run scenarios/quickstart.yaml`, shortened.

let reports: string;
let cli: Cli | undefined;
let runDir: string | undefined;
let password = '';
let processes: SeenProcess[] = [];
let exit: { code: number | null; signal: NodeJS.Signals | null };
let reportDir: string;
let results: RunResults;

beforeAll(async () => {
  reports = await mkdtemp(join(tmpdir(), 'faultline-quickstart-'));
  cli = startCli(['run', 'scenarios/quickstart.yaml', '--set', 'workload.duration=4s', '--set', 'workload.warmup=1s', '--out', reports]);
  try {
    await cli.waitForLine(/^\[warmup/, 60_000);
    runDir = runDirOwnedBy(cli.pid);
    // The password exists only in the run directory (and the servers) while the run lasts.
    password = (await readFile(join(runDir!, 'nodes', 'primary', 'pgpass'), 'utf8')).trim().split(':').at(-1)!;
    processes = runProcesses(runDir!);
  } finally {
    exit = await Promise.race([cli.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('run took over 90 s')), 90_000))]);
  }
  reportDir = join(reports, 'quickstart', (await readdir(join(reports, 'quickstart'))).find((name) => name !== 'latest')!);
  results = JSON.parse(await readFile(join(reportDir, 'results.json'), 'utf8')) as RunResults;
}, 120_000);

afterAll(async () => {
  await killHard(cli);
  if (runDir && existsSync(runDir)) reapRunDir(runDir);
  await rm(reports, { recursive: true, force: true });
});

async function filesBelow(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesBelow(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

describe('faultline run scenarios/quickstart.yaml', () => {
  it('completes and exits 0', () => {
    expect(exit, cli!.stderr()).toEqual({ code: 0, signal: null });
    expect(cli!.stdout()).toMatch(/^completed: \d+ ops, .*checks: .*invariants valid, atomicity valid$/m);
    expect(results.run.status).toBe('completed');
  });

  it('writes results.json with the scenario, the topology and every operation measured', () => {
    expect(results.schemaVersion).toBe(1);
    expect(results.scenario.name).toBe('quickstart');
    expect(results.resolvedScenario.name).toBe('quickstart');
    expect(results.resolvedScenario.workload.duration).toBe(4_000);
    expect(results.resolvedScenario.workload.warmup).toBe(1_000);
    expect(results.topology.kind).toBe('pg-single-leader');
    expect(results.topology.nodes.map(({ name, role }) => ({ name, role }))).toEqual([
      { name: 'primary', role: 'primary' },
      { name: 'replica1', role: 'replica' },
      { name: 'replica2', role: 'replica' },
    ]);
    for (const node of results.topology.nodes) expect(node.port).toBeGreaterThan(1024);
    expect(results.environment.postgres).toMatch(/^PostgreSQL \d+/);
    expect(results.environment.engine).toBe(results.environment.postgres);
    // The operations the scenario itself lists (browse-price is not among the quickstart's).
    for (const name of OPERATION_NAMES.filter((f) => (results.resolvedScenario.workload.operations?.[f]?.weight ?? 0) > 0)) {
      const op = results.operations[name];
      expect(op, name).toBeDefined();
      expect(op!.count, name).toBeGreaterThan(0);
      const { p50, p90, p99, p999, max } = op!.latencyMs;
      for (const value of [p50, p90, p99, p999, max]) expect(value, name).toBeGreaterThan(0);
      expect(p50 <= p90 && p90 <= p99 && p99 <= p999, `${name} percentiles ordered`).toBe(true);
      // Percentiles are HdrHistogram bucket values (3 significant digits); max is exact.
      expect(p999, `${name} p999 vs max`).toBeLessThanOrEqual(max * 1.001 + 0.001);
    }
    expect(results.checks.invariants?.verdict).toBe('valid');
    // Nothing was broken, so these may not claim an anomaly (a false positive is a wrong verdict).
    // Order history is read from the primary, so the session guarantees hold too.
    for (const name of Object.keys(results.checks)) {
      const check = results.checks[name];
      expect(check?.verdict, `${name}: ${check?.explanation}`).not.toBe('invalid');
    }
  });

  it('writes report.md, timeseries, node logs, and a history where every invoke completes exactly once', async () => {
    for (const file of ['report.md', 'timeseries.jsonl', 'logs/primary.log', 'logs/replica1.log', 'logs/replica2.log']) {
      expect(existsSync(join(reportDir, file)), file).toBe(true);
    }
    expect(await readFile(join(reportDir, 'report.md'), 'utf8')).toContain('quickstart');
    const events = (await readFile(join(reportDir, 'history.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; id?: number; f?: string });
    const invoked = new Map<number, string>();
    const completed = new Map<number, number>();
    for (const event of events) {
      if (event.type === 'invoke') {
        expect(invoked.has(event.id!), `id ${event.id} invoked twice`).toBe(false);
        invoked.set(event.id!, event.f!);
      } else if (event.type === 'ok' || event.type === 'fail' || event.type === 'info') {
        expect(invoked.get(event.id!), `completion ${event.id} matches its invoke`).toBe(event.f);
        completed.set(event.id!, (completed.get(event.id!) ?? 0) + 1);
      }
    }
    expect(invoked.size).toBeGreaterThan(0);
    for (const id of invoked.keys()) expect(completed.get(id), `completions of ${id}`).toBe(1);
    expect(completed.size).toBe(invoked.size);
  });

  it('points latest at the run', async () => {
    expect(await readLatest(reports, 'quickstart')).toBe(results.run.id);
    const latest = join(reports, 'quickstart', 'latest');
    if ((await lstat(latest)).isSymbolicLink()) expect(await realpath(latest)).toBe(await realpath(reportDir));
  });

  it('never writes the run password into the report or the terminal', async () => {
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const files = await filesBelow(reports);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect((await readFile(file, 'utf8')).includes(password), file).toBe(false);
    expect(cli!.stdout().includes(password) || cli!.stderr().includes(password)).toBe(false);
  });

  it('leaves no server and no run directory behind', () => {
    expect(processes.filter((p) => p.command.includes('postgres -D'))).toHaveLength(3);
    expect(processes.filter(running)).toEqual([]);
    expect(existsSync(runDir!)).toBe(false);
  });
});
