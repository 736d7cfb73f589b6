import { describe, expect, it } from 'vitest';
import { buildComparison } from '../../../src/harness/compare/build-comparison.ts';
import { comparisonCharts } from '../../../src/harness/compare/comparison-charts.ts';
import { renderComparisonHtml } from '../../../src/harness/compare/render-comparison-html.ts';
import { threeVariants } from './compare-fixtures.ts';

describe('comparison.html', () => {
  it('shows a verdict matrix with badges and key counts, one column per run', () => {
    const page = renderComparisonHtml(buildComparison(threeVariants(), { notRun: ['replication=quorum'] }), []);
    expect(page).toContain('<th scope="col">replication=remote_apply</th>');
    expect(page).toMatch(/<td><span class="badge badge-invalid">INVALID<\/span> violations 4<\/td>/);
    expect(page).toMatch(/<td><span class="badge badge-valid">VALID<\/span> violations 0<\/td>/);
    expect(page).toContain('<td><span class="muted">not run</span></td>');
    expect(page).toContain('Not run (stopped before them): replication=quorum');
    expect(page).toContain('<a href="replication%3Dasync/report.md">report.md</a>');
    expect(page).not.toContain('<script');
  });

  it('escapes every label, name and error', () => {
    const [a, b] = threeVariants();
    const evil = '<img src=x onerror=alert(1)>';
    const hostile = {
      label: evil,
      dir: '../"><script>',
      results: { ...b!.results, scenario: { ...b!.results.scenario, name: evil }, run: { ...b!.results.run, error: evil } },
    };
    const page = renderComparisonHtml(buildComparison([a!, hostile]), []);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('href="../%22%3E%3Cscript%3E/report.md"');
  });
});

describe('comparison charts', () => {
  it('are grouped bars: a group per operation, a bar per run, colours fixed per run', () => {
    const charts = comparisonCharts(buildComparison(threeVariants()));
    expect(charts.map((c) => c.name)).toEqual(['p99-by-operation', 'throughput-by-operation']);
    const spec = charts[0]!.spec as unknown as { data: { values: { operation: string; run: string; value: number }[] }; encoding: Record<string, { field: string }> };
    expect(spec.encoding.x!.field).toBe('operation');
    expect(spec.encoding.xOffset!.field).toBe('run');
    expect(spec.data.values.filter((v) => v.operation === 'checkout')).toEqual([
      { operation: 'checkout', run: 'replication=async', value: 38.5 },
      { operation: 'checkout', run: 'replication=sync', value: 77.5 },
      { operation: 'checkout', run: 'replication=remote_apply', value: 38.5 },
    ]);
    // p99 has the all-operations group; throughput (which adds up) does not.
    expect(spec.data.values.some((v) => v.operation === 'all operations')).toBe(true);
    const throughput = charts[1]!.spec as unknown as { data: { values: { operation: string }[] } };
    expect(throughput.data.values.some((v) => v.operation === 'all operations')).toBe(false);
  });

  it('are none without runs', () => {
    expect(comparisonCharts(buildComparison([]))).toEqual([]);
  });
});
