import { describe, expect, it } from 'vitest';
import { buildComparison } from '../../../src/harness/compare/build-comparison.ts';
import { renderComparisonMd } from '../../../src/harness/compare/render-comparison-md.ts';
import type { RunToCompare } from '../../../src/harness/compare/comparison-types.ts';
import { completedRun } from '../report/fixtures.ts';
import { ryw, threeVariants } from './compare-fixtures.ts';

const render = (runs: readonly RunToCompare[], notRun: readonly string[] = []) => renderComparisonMd(buildComparison(runs, { notRun }));

/** The rows of the markdown table that follows `heading`. */
function table(md: string, heading: string): string[][] {
  const start = md.indexOf(`${heading}\n\n|`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const lines = md.slice(start + heading.length + 2).split('\n');
  const rows = lines.slice(0, lines.findIndex((line) => !line.startsWith('|')));
  return rows.map((line) => line.slice(2, -2).split(/ (?<!\\)\| /));
}

describe('comparison.md', () => {
  const md = render(threeVariants(), ['replication=quorum']);

  it('has one column per run, headed by its label, in every table', () => {
    for (const heading of ['## Checks', '## Throughput (ops/s)', '## Latency p50 (ms)', '## Latency p99 (ms)', '## Errors (fail + info)', '### read-your-writes']) {
      const [header, rule] = table(md, heading);
      expect(header!.slice(1), heading).toEqual(['replication=async', 'replication=sync', 'replication=remote\\_apply']);
      expect(rule, heading).toHaveLength(4);
    }
    expect(table(md, '## Latency p99 (ms)').find((row) => row[0] === 'checkout')).toEqual(['checkout', '38.5', '77.5', '38.5']);
    expect(table(md, '## Latency p99 (ms)').at(-1)).toEqual(['**all operations**', '21.4', '21.4', '21.4']);
  });

  it('says what the runs differ in, their status and where their reports are', () => {
    expect(md).toContain('3 runs side by side, all with seed 42. They differ in `topology.replication`.');
    const runs = table(md, 'Each column is one run; its folder holds results.json and report.md.');
    expect(runs.map((row) => row[0])).toEqual(['run', '---', '`topology.replication`', 'status', 'measured', 'report']);
    expect(runs[2]).toEqual(['`topology.replication`', '`async`', '`sync`', '`remote_apply`']);
    expect(runs[3]).toEqual(['status', 'completed', 'completed', '**FAILED**']);
    expect(runs[5]![1]).toBe('[report.md](<replication=async/report.md>)');
    expect(md).toContain('Not run (stopped before them): `replication=quorum`.');
    expect(md).toContain('## Why runs stopped\n\n- replication=remote\\_apply (failed): primary pg0 exited');
  });

  it('shows each verdict with the key counts that are not zero everywhere', () => {
    const checks = table(md, '## Checks');
    expect(checks.find((row) => row[0] === 'read-your-writes')).toEqual(['read-your-writes', '**INVALID**: violations 4', 'valid: violations 0', 'not run']);
    // The fixture's invariants counts are not the checker's key counts: the verdict stands alone.
    expect(checks.find((row) => row[0] === 'invariants')).toEqual(['invariants', '**INVALID**', '**INVALID**', 'not run']);
    const clean = render([{ label: 'a', dir: 'a', results: { ...completedRun(), checks: { 'read-your-writes': ryw(0) } } }]);
    expect(table(clean, '## Checks')[2]).toEqual(['read-your-writes', 'valid']);
  });

  it('lists every count of a check, key counts first and in bold', () => {
    const rows = table(md, '### read-your-writes').slice(2);
    expect(rows).toEqual([
      ['**violations**', '4', '0', '–'],
      ['acknowledgedCheckouts', '120', '120', '–'],
      ['readsChecked', '90', '90', '–'],
    ]);
  });

  it('escapes labels, names and errors so they stay text and never break a table', () => {
    const [a, b] = threeVariants();
    const hostile = {
      label: 'x|y *z* <b>',
      dir: 'x|y',
      results: {
        ...b!.results,
        scenario: { ...b!.results.scenario, name: '# evil_[link](http://x)' },
        run: { ...b!.results.run, status: 'failed' as const, error: 'boom | <script>\n\n# heading' },
      },
    };
    const text = render([a!, hostile]);
    expect(text.split('\n')[0]).toBe('# Comparison: checkout-under-replication vs # evil\\_\\[link\\](http://x)');
    expect(text).toContain('[report.md](<x%7Cy/report.md>)');
    const [header] = table(text, '## Checks');
    expect(header).toEqual(['check', 'replication=async', 'x\\|y \\*z\\* \\<b\\>']);
    expect(text).toContain('- x\\|y \\*z\\* \\<b\\> (failed): boom \\| \\<script\\> \\# heading');
    expect(text).not.toContain('<script>');
    // Every row of the checks table still has exactly three cells.
    for (const row of table(text, '## Checks')) expect(row).toHaveLength(3);
  });

  it('is stable', () => {
    expect(md).toMatchSnapshot();
  });
});
