import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPERATION_NAMES } from '../../../src/harness/scenario/schema.ts';
import { REPORT_FILE, renderReportMd, writeReportMd } from '../../../src/harness/report/write-report-md.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { FIXTURE_PASSWORD, completedRun, failedRun, openLoopRun } from './fixtures.ts';

/** The table row of `label` in the operations table, split into cells. */
function operationRow(md: string, label: string): string[] | undefined {
  const line = md.split('\n').find((row) => row.startsWith(`| ${label} |`));
  return line?.slice(2, -2).split(' | ');
}

describe('renderReportMd', () => {
  it('matches the reviewed report for a completed run', async () => {
    await expect(renderReportMd(completedRun())).toMatchFileSnapshot('__snapshots__/completed-run.report.md');
  });

  it('matches the reviewed report for a failed open-loop run', async () => {
    await expect(renderReportMd(failedRun('open'))).toMatchFileSnapshot('__snapshots__/failed-open-loop-run.report.md');
  });

  it('is deterministic', () => {
    expect(renderReportMd(completedRun())).toBe(renderReportMd(completedRun()));
  });

  it('has a row for every operation and a totals row, each with 12 cells', () => {
    const results = completedRun();
    const md = renderReportMd(results);
    const names = OPERATION_NAMES.filter((name) => results.operations[name] !== undefined);
    expect(names).toHaveLength(5);
    for (const name of names) {
      const cells = operationRow(md, name);
      expect(cells, name).toHaveLength(12);
      expect(cells?.[1]).toBe(results.operations[name]?.count.toLocaleString('en-US'));
    }
    const { totals } = results;
    expect(operationRow(md, '**Total**')?.slice(1, 5)).toEqual(
      [totals.count, totals.ok, totals.fail, totals.info].map((n) => n.toLocaleString('en-US')),
    );
    expect(operationRow(md, 'checkout')?.[11]).toBe('out-of-stock ×180, pg:40P01 ×7, connection ×1');
  });

  it('reports each check with verdict, counts, examples and explanation', () => {
    const md = renderReportMd(completedRun());
    expect(md).toContain('- **Checks:** invariants **INVALID**');
    expect(md).toContain('### invariants: INVALID');
    expect(md).toContain('| lost updates | 2 |');
    expect(md).toContain('- `{"product":17,"warehouse":"EMEA","expected":412,"actual":413,"orders":[1204,1377]}`');
    expect(md).toContain('a concurrent checkout then overwrote (a lost update).');
  });

  it('shows at most five examples and says how many there were', () => {
    const base = completedRun();
    const invariants = base.checks.invariants!;
    const examples = Array.from({ length: 9 }, (_, i) => ({ product: i }));
    const md = renderReportMd({ ...base, checks: { invariants: { ...invariants, verdict: 'unknown', examples } } });
    expect(md).toContain('### invariants: UNKNOWN');
    expect(md).toContain('Examples (first 5 of 9):');
    expect(md).toContain('- `{"product":4}`');
    expect(md).not.toContain('{"product":5}');
  });

  it('escapes a malicious scenario name and description', () => {
    const base = completedRun();
    const md = renderReportMd({
      ...base,
      scenario: { ...base.scenario, name: 'a|b`c<script>', description: '# x\n\n| injected | row |\n<img src=x onerror=alert(1)>' },
      checks: { 'x|y': { verdict: 'valid', counts: { 'a|b': 1 }, examples: ['`|`'], explanation: 'ok' } },
    });
    expect(md).toContain('# faultline report: a\\|b\\`c\\<script\\>');
    // No unescaped "<" anywhere: nothing the scenario says can become HTML.
    expect(md).not.toMatch(/(?<!\\)</);
    expect(md).toContain('\\# x');
    expect(md).toContain('\\| injected \\| row \\|');
    expect(md).toContain('| a\\|b | 1 |');
    expect(md).toContain('### x\\|y: VALID');
    // Every table row still has as many unescaped pipes as its header.
    for (const table of md.split('\n\n').filter((block) => block.startsWith('| '))) {
      const widths = table.split('\n').map((row) => row.split(/(?<!\\)\|/).length);
      expect(new Set(widths).size, table).toBe(1);
    }
  });

  it('reports a failed run with its error and what was measured', () => {
    const md = renderReportMd(failedRun());
    expect(md).toContain('- **Status:** **FAILED**');
    expect(md).toContain('## Error');
    expect(md).toContain('This run failed. The figures below are what was measured before it stopped.');
    expect(md).toContain('```text\nprimary pg0 exited unexpectedly (signal SIGKILL) during the run phase; see pg0.log\n```');
    expect(md).toContain('No checks ran.');
    expect(md).toContain('| run | 7.31s | 7,310 |');
    expect(operationRow(md, 'checkout')).toBeDefined();
  });

  it('copes with a run that failed before anything was measured', () => {
    const base = failedRun();
    const empty = { count: 0, ok: 0, fail: 0, info: 0, throughput: 0, errors: {}, latencyMs: { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 } };
    const md = renderReportMd({
      ...base,
      run: { ...base.run, status: 'interrupted', error: undefined, phasesMs: {}, measuredMs: 0 },
      topology: { kind: 'pg-single-leader', nodes: [] },
      dataset: undefined,
      environment: { ...base.environment, postgres: undefined },
      operations: {},
      totals: empty,
    });
    expect(md).toContain('This run was interrupted.');
    expect(md).toContain('No error message was recorded.');
    expect(md).toContain('No operation completed in the measured phase.');
    expect(md).toContain('No node was started.');
    expect(md).toContain('No dataset was loaded.');
    expect(md).toContain('No phase completed.');
  });

  it('describes an open loop: target rate, arrivals, late starts', () => {
    const md = renderReportMd(openLoopRun());
    expect(md).toContain('- **Loop:** open, target 500 ops/s, poisson arrivals, 16 connections');
    expect(md).toMatch(/- \*\*Achieved:\*\* 4\d\d ops\/s \([\d,]+ completed over the run phase's measured 20s\)/);
    expect(md).toMatch(/- \*\*Late starts:\*\* 37 \(0\.\d+% of completed operations started over 1 ms late\)/);
  });
});

describe('writeReportMd', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'faultline-report-md-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes report.md atomically', async () => {
    const file = await writeReportMd(dir, completedRun(), [FIXTURE_PASSWORD]);
    expect(file).toBe(path.join(dir, REPORT_FILE));
    expect(await readFile(file, 'utf8')).toBe(renderReportMd(completedRun()));
    expect(await readdir(dir)).toEqual([REPORT_FILE]);
  });

  it('refuses to write a report that would leak the password, even when escaping disguises it', async () => {
    const secret = 'pw_with|markup';
    const base = failedRun();
    const leaky: RunResults = {
      ...base,
      checks: { invariants: { verdict: 'unknown', counts: {}, examples: [], explanation: `could not log in with ${secret}` } },
    };
    // Escaped as pw\_with\|markup, the secret is not literally in the markdown...
    expect(renderReportMd(leaky)).not.toContain(secret);
    await expect(writeReportMd(dir, leaky, [secret])).rejects.toThrow(/secret #1/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a failed run whose error message quotes the password', async () => {
    const base = failedRun();
    const error = `connect to postgres://faultline:${FIXTURE_PASSWORD}@127.0.0.1:54321/shop failed`;
    await expect(writeReportMd(dir, { ...base, run: { ...base.run, error } }, [FIXTURE_PASSWORD])).rejects.toThrow(/secret #1/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('report.md fault timeline', () => {
  it('lists each fault with its targets and times, and each failover with how long promotion took', async () => {
    const results = {
      ...completedRun(),
      faults: [
        { id: 1, kind: 'partition', targets: ['replica1->primary'], startMs: 2000, endMs: 8000 },
        { id: 2, kind: 'kill', targets: ['primary'], startMs: 5000, error: 'x|y' },
      ],
      failovers: [{ from: 'primary', to: 'replica1', detectedAtMs: 6000, promotedAtMs: 6300 }],
    };
    const md = renderReportMd(results);
    expect(md).toContain('## Faults');
    expect(md).toMatch(/\| 1 \| partition \| replica1-\\>primary \| 2s \| 8s \|/);
    expect(md).toMatch(/\| 2 \| kill \| primary \| 5s \| end of run \| failed: x\\\|y \|/);
    expect(md).toMatch(/\| primary \| replica1 \| 6s \| 6.3s \| 300ms \|/);
  });

  it('has no fault section when nothing was injected', async () => {
    expect(renderReportMd(completedRun())).not.toContain('## Faults');
  });
});
