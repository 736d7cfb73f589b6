import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listIncompleteRuns } from '../../../src/harness/cli/commands/list.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { cleanUpCliRun, runDirOwnedBy, runProcesses, running, startCli, waitUntil, type Cli } from '../../support/processes.ts';

// kill -9 of a real run in the middle of its load: the watchdog takes its servers, the report
// folder keeps PARTIAL, history.jsonl and timeseries.jsonl, `faultline list` names it as
// incomplete, and `faultline report` summarises what it measured into a report marked partial.

let cli: Cli | undefined;
let reports: string | undefined;
let runDir: string | undefined;

afterEach(async () => {
  await cleanUpCliRun(cli, runDir, reports);
  cli = reports = runDir = undefined;
});

/** Completions in the history of operations that started in the measured phase (the report's rule, counted independently). */
function measuredCompletions(history: string, warmupMs: number): number {
  const events = history
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as { type: string; id?: number; time: number; phase?: string; intended?: number }];
      } catch {
        return []; // The line the kill cut short.
      }
    });
  const runStart = events.find((e) => e.type === 'phase' && e.phase === 'warmup')!.time + warmupMs;
  const started = new Map(events.filter((e) => e.type === 'invoke').map((e) => [e.id, e.intended ?? e.time]));
  return events.filter((e) => ['ok', 'fail', 'info'].includes(e.type) && started.get(e.id)! >= runStart).length;
}

describe('a run killed with SIGKILL mid-load', () => {
  // In two load threads each thread's history file is merged into history.jsonl only at close,
  // which a SIGKILL skips: `faultline report` merges them.
  it.each([1, 2])('is listed as incomplete, and faultline report summarises what it measured into a report marked partial (%i load threads)', async (threads) => {
    reports = await mkdtemp(join(tmpdir(), 'faultline-killed-report-'));
    const set = ['--set', 'workload.duration=60s', '--set', 'workload.warmup=1s', '--set', `workload.threads=${threads}`];
    cli = startCli(['run', 'scenarios/quickstart.yaml', ...set, '--out', reports]);
    // A few seconds into the measured phase.
    await cli.waitForLine(/^\[run +[3-9]s/, 120_000);
    runDir = runDirOwnedBy(cli.pid);
    expect(runDir, 'the run directory of this harness').toBeDefined();
    const servers = runProcesses(runDir!);
    cli.child.kill('SIGKILL');
    await cli.exited;
    await waitUntil('the watchdog has reaped the servers', () => servers.every((p) => !running(p)) && !existsSync(runDir!), 30_000);

    const [runId] = (await readdir(join(reports, 'quickstart'))).filter((name) => name !== 'latest');
    const folder = join(reports, 'quickstart', runId!);
    expect((await readdir(folder)).sort()).toEqual(expect.arrayContaining(['PARTIAL', 'history.jsonl', 'timeseries.jsonl']));
    const threadFiles = (await readdir(folder)).filter((f) => f.startsWith('history-thread-'));
    if (threads === 1) expect(threadFiles).toEqual([]);
    else expect(threadFiles.length, threadFiles.join(', ')).toBeGreaterThan(0);
    expect(existsSync(join(folder, 'results.json'))).toBe(false);

    let listed = '';
    await listIncompleteRuns(reports, (text) => (listed += text));
    expect(listed).toContain(`incomplete: its harness (pid ${cli.pid}) stopped before writing the report`);
    expect(listed).toContain('no results.json (faultline report');

    const summarise = startCli(['report', folder]);
    const { code } = await summarise.exited;
    expect(code, summarise.stderr()).toBe(0);
    expect(summarise.stdout()).toMatch(/^partial: \d+ measured ops .* in flight when the harness stopped; no check ran$/m);

    const results = JSON.parse(await readFile(join(folder, 'results.json'), 'utf8')) as RunResults;
    expect(results.run.partial).toMatchObject({ reason: 'harness-stopped', pid: cli.pid });
    expect(results.run.partial!.from).toEqual(['PARTIAL', 'history.jsonl', 'timeseries.jsonl']);
    expect(results.run.status).toBe('interrupted');
    expect(results.run.measuredMs).toBeGreaterThan(1_000);
    expect(results.run.measuredMs).toBeLessThan(60_000);
    // The ops it measured, every one of them: the same count as the history holds.
    const history = await readFile(join(folder, 'history.jsonl'), 'utf8');
    expect(results.totals.count).toBeGreaterThan(0);
    expect(results.totals.count).toBe(measuredCompletions(history, 1_000));
    // Every worker's operations, whichever thread ran them, in one file, none left beside it.
    const workers = new Set(history.split('\n').flatMap((line) => (line.includes('"type":"invoke"') ? [/"worker":(\d+)/.exec(line)?.[1]] : [])));
    expect(workers.size).toBe(8);
    expect((await readdir(folder)).filter((f) => f.startsWith('history-thread-'))).toEqual([]);
    expect(results.topology.nodes.map((n) => n.name).sort()).toEqual(['primary', 'replica1', 'replica2']);
    expect(Object.values(results.checks).every((check) => check.verdict === 'unknown')).toBe(true);

    const md = await readFile(join(folder, 'report.md'), 'utf8');
    expect(md).toContain('PARTIAL: the harness stopped before it wrote this report');
    // Counts are printed with thousands separators (1,455).
    expect(md).toMatch(/\| view-product \| [\d,]+ \|/);
    const html = await readFile(join(folder, 'report.html'), 'utf8');
    expect(html).toContain('PARTIAL: the harness stopped before it wrote this report');

    // Still incomplete (compare of a partial summary shows why it stopped); list says it was summarised.
    listed = '';
    await listIncompleteRuns(reports, (text) => (listed += text));
    expect(listed).toContain('summarised into a partial report');
  }, 180_000);
});
