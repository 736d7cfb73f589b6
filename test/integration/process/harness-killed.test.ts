import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { cleanUpCliRun, probePort, runDirOwnedBy, runProcesses, running, startCli, waitUntil, type Cli, type SeenProcess } from '../../support/processes.ts';

// The harness dying must never leave servers behind. SIGKILL gives the harness no chance to
// clean up, so the run's watchdog (which sees its stdin pipe close) has to do it; Ctrl-C is the
// orderly path: stop the load, report what was measured, tear down.

const PROGRESS = /^\[(warmup|run)/;
let cli: Cli | undefined;
let reports: string | undefined;
let runDir: string | undefined;

afterEach(async () => {
  await cleanUpCliRun(cli, runDir, reports);
  cli = reports = runDir = undefined;
});

/** Starts a 60 s quickstart run and returns once the load runs, with its servers. */
async function startRun(waitFor: RegExp): Promise<{ processes: SeenProcess[]; ports: number[] }> {
  reports = await mkdtemp(join(tmpdir(), 'faultline-killed-'));
  cli = startCli(['run', 'scenarios/quickstart.yaml', '--set', 'workload.duration=60s', '--set', 'workload.warmup=1s', '--out', reports]);
  await cli.waitForLine(waitFor, 60_000);
  runDir = runDirOwnedBy(cli.pid);
  expect(runDir, 'the run directory of this harness').toBeDefined();
  const processes = runProcesses(runDir!);
  // Three postmasters (primary, replica1, replica2), their helpers and the load's backends.
  expect(processes.filter((p) => p.command.includes('postgres -D')).length).toBe(3);
  const ready = cli.stdout().split('\n').find((line) => line.includes('topology ready'))!;
  const ports = [...ready.matchAll(/:(\d+)/g)].map((m) => Number(m[1]));
  expect(ports).toHaveLength(3);
  for (const port of ports) expect(await probePort(port)).toBe('open');
  return { processes, ports };
}

describe('a harness that dies mid-run', () => {
  it('SIGKILL: the watchdog reaps every server of the run within 10 s', async () => {
    const { processes, ports } = await startRun(PROGRESS);
    cli!.child.kill('SIGKILL');
    const tookMs = await waitUntil(
      'no server process of the run is alive and its directory is gone',
      () => processes.every((p) => !running(p)) && !existsSync(runDir!),
      10_000,
    );
    expect(tookMs).toBeLessThanOrEqual(10_000);
    expect(processes.filter(running)).toEqual([]);
    for (const port of ports) expect(await probePort(port)).toBe('refused');
    expect((await cli!.exited).signal).toBe('SIGKILL');
  });

  it('SIGINT (Ctrl-C): exits 130 with an "interrupted" report of what it measured, and no server left', async () => {
    const { processes } = await startRun(/^\[run/);
    cli!.child.kill('SIGINT');
    const { code } = await cli!.exited;
    expect(code, cli!.stderr()).toBe(130);
    expect(cli!.stderr()).toContain('SIGINT: stopping the load');
    expect(cli!.stdout()).toMatch(/^interrupted: \d+ ops/m);

    const [runId] = (await readdir(join(reports!, 'quickstart'))).filter((name) => name !== 'latest');
    const results = JSON.parse(await readFile(join(reports!, 'quickstart', runId!, 'results.json'), 'utf8')) as RunResults;
    expect(results.run.status).toBe('interrupted');
    expect(results.run.error).toMatch(/interrupted/);
    expect(results.run.measuredMs).toBeGreaterThan(0);
    expect(results.run.measuredMs).toBeLessThan(60_000);
    expect(results.totals.count).toBeGreaterThan(0);
    const measured = Object.values(results.operations).reduce((sum, op) => sum + op!.count, 0);
    expect(measured).toBe(results.totals.count);
    expect(existsSync(join(reports!, 'quickstart', runId!, 'report.md'))).toBe(true);

    // Torn down before exiting: nothing to wait for.
    expect(processes.filter(running)).toEqual([]);
    expect(existsSync(runDir!)).toBe(false);
  });
});
