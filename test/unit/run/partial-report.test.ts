import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/harness/cli/main.ts';
import { incompleteRun, PARTIAL_MARKER } from '../../../src/harness/report/partial-runs.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { writePartialReport } from '../../../src/harness/run/partial-report.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import type { Scenario } from '../../../src/harness/scenario/schema.ts';

// `faultline report <run-dir>` on a folder a killed run left (crafted here; the integration test
// kills a real run): a report marked partial from its history, or exit 2 saying why not.

const VALID = fileURLToPath(new URL('../../fixtures/scenarios/valid.yaml', import.meta.url));
const GONE_PID = 99_999_999; // above pid_max: never alive

let root: string;
let dir: string;
let scenario: Scenario;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'faultline-partial-report-'));
  dir = join(root, 'fixture-valid', '2026-12-06T16-00-00Z-0001');
  await mkdir(dir, { recursive: true });
  const loaded = (await loadScenario(VALID, ['workload.warmup=1s'])).scenario;
  // No charts here: the integration test draws them from a real run.
  scenario = { ...loaded, report: { ...loaded.report, formats: ['json', 'md'] } };
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const line = (event: object) => `${JSON.stringify(event)}\n`;

async function killedRun(marker: object = { pid: GONE_PID, startedAt: '2026-12-06T16:00:00.000Z', scenario: 'fixture-valid', resolvedScenario: scenario }) {
  await writeFile(join(dir, PARTIAL_MARKER), JSON.stringify(marker));
  const ops = [1, 2, 3].flatMap((id) => [
    line({ type: 'invoke', id, f: 'view-product', worker: 0, node: 'primary', time: 1_000 + id * 100, value: { productId: id } }),
    line({ type: 'ok', id, f: 'view-product', worker: 0, node: 'primary', time: 1_000 + id * 100 + 5, latency: 5, value: {} }),
  ]);
  await writeFile(
    join(dir, 'history.jsonl'),
    line({ type: 'phase', phase: 'warmup', time: 0, wallClock: '2026-12-06T16:00:02.000Z' }) +
      ops.join('') +
      line({ type: 'invoke', id: 4, f: 'checkout', worker: 1, node: 'primary', time: 1_400, value: {} }),
  );
  await writeFile(join(dir, 'timeseries.jsonl'), line({ t: 1.0, phase: 'warmup', opsPerSec: 0 }) + line({ t: 2.0, phase: 'run', opsPerSec: 3 }) + '{"t":3');
}

async function faultline(args: string[]) {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('a partial report from a killed run', () => {
  it('summarises the history into results.json and report.md marked partial; the folder stays incomplete', async () => {
    await killedRun();
    const { written } = await writePartialReport(dir, new Date('2026-12-06T17:00:00.000Z'));
    expect(written).toEqual(['results.json', 'report.md']);
    const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as RunResults;
    expect(results.run.status).toBe('interrupted');
    expect(results.run.partial).toEqual({
      reason: 'harness-stopped',
      pid: GONE_PID,
      summarisedAt: '2026-12-06T17:00:00.000Z',
      from: ['PARTIAL', 'history.jsonl', 'timeseries.jsonl'],
      historyEvents: 8,
      inFlight: 1,
      lastProgress: { t: 2, phase: 'run' },
    });
    expect(results.totals).toMatchObject({ count: 3, ok: 3, fail: 0, info: 0 });
    expect(results.run.measuredMs).toBe(305);
    expect(results.run.startedAt).toBe('2026-12-06T16:00:00.000Z');
    expect(results.run.finishedAt).toBe('2026-12-06T16:00:03.400Z');
    expect(Object.values(results.checks).every((check) => check.verdict === 'unknown')).toBe(true);
    expect(Object.keys(results.checks).sort()).toEqual([...scenario.checks].sort());
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('PARTIAL: the harness stopped before it wrote this report');
    expect(md).toContain('1 operation(s) were in flight');
    expect(md).toMatch(/\| view-product \| 3 \| 3 \|/);
    const still = await incompleteRun(dir);
    expect(still).toMatchObject({ state: 'killed', summarised: true });
  });

  it('`faultline report` prints what it summarised and where', async () => {
    await killedRun();
    const said = await faultline(['report', dir]);
    expect(said.code, said.stderr).toBe(0);
    expect(said.stdout).toMatch(/^partial: 3 measured ops \(3 ok, 0 fail, 0 info\) over 0\.3 s, 1 in flight when the harness stopped; no check ran$/m);
    expect(said.stdout).toMatch(/report\.md \(marked partial\)/);
  });

  it('refuses, with exit 2 and why, a run still running, a complete run, a marker without the scenario, and a folder that is no run', async () => {
    await killedRun({ pid: process.pid, startedAt: 'x', scenario: 'fixture-valid', resolvedScenario: scenario });
    expect((await faultline(['report', dir])).stderr).toMatch(/is still running \(pid \d+\)/);

    await killedRun({ pid: GONE_PID, startedAt: 'x', scenario: 'fixture-valid' });
    const old = await faultline(['report', dir]);
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/its PARTIAL marker does not hold the scenario .* history\.jsonl and timeseries\.jsonl are there to read/);

    await rm(join(dir, PARTIAL_MARKER));
    const none = await faultline(['report', dir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/is not a run folder: it has neither a PARTIAL marker nor results\.json/);

    await writeFile(join(dir, 'results.json'), '{}');
    expect((await faultline(['report', dir])).stderr).toMatch(/is a complete run \(no PARTIAL marker\)/);

    // Killed after its own results.json was written: that one stands, and is not overwritten.
    await killedRun();
    await writeFile(join(dir, 'results.json'), JSON.stringify({ run: { status: 'completed' } }));
    const late = await faultline(['report', dir]);
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/wrote results\.json before it died; that report stands/);
    expect(JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'))).toEqual({ run: { status: 'completed' } });

    const missing = await faultline(['report', join(root, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such run folder/);
    for (const said of [old, none, late, missing]) expect(said.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(join(dir, 'report.md'))).toBe(false);
  });
});
