import { describe, expect, it } from 'vitest';
import { buildComparison } from '../../../src/harness/compare/build-comparison.ts';
import { renderComparisonMd } from '../../../src/harness/compare/render-comparison-md.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { threeVariants } from './compare-fixtures.ts';

function withRegions(results: RunResults, euCheckoutP50: number): RunResults {
  const checkout = results.operations.checkout!;
  const eu = { ...checkout, latencyMs: { ...checkout.latencyMs, p50: euCheckoutP50 } };
  return {
    ...results,
    regions: {
      'us-east': { workers: 2, operations: { checkout }, totals: results.totals },
      'eu-west': { workers: 2, operations: { checkout: eu }, totals: results.totals },
    },
  };
}

describe('a comparison of regional runs', () => {
  const [a, b, c] = threeVariants();
  const comparison = buildComparison([
    { ...a!, results: withRegions(a!.results, 170) },
    { ...b!, results: withRegions(b!.results, 4) },
    c!,
  ]);

  it('has, per client region, the figures of each run, null for a run without that region', () => {
    expect(comparison.regions!.map((r) => r.region)).toEqual(['us-east', 'eu-west']);
    const eu = comparison.regions!.find((r) => r.region === 'eu-west')!;
    expect(eu.metrics.map((m) => m.metric)).toEqual(['throughput', 'p50', 'p99', 'errors']);
    const p50 = eu.metrics.find((m) => m.metric === 'p50')!;
    expect(p50.rows.find((row) => row.operation === 'checkout')!.values).toEqual([170, 4, null]);
  });

  it('shows a section per region in comparison.md', () => {
    const md = renderComparisonMd(comparison);
    expect(md).toContain('## Clients in eu-west');
    expect(md).toContain('### eu-west: Latency p50 (ms)');
  });

  it('has no region section when no run declared regions', () => {
    expect(buildComparison(threeVariants()).regions).toBeUndefined();
  });
});

describe('replication figures in a comparison', () => {
  it('puts conflicts and lag per direction beside runs that have none, as "–" rather than 0', () => {
    const [a, b] = threeVariants();
    const lag = { samples: 10, p50: 40, p99: 300, max: 4_000 };
    const multi = {
      ...b!.results,
      multiLeader: {
        conflicts: { total: 12 },
        divergence: { rows: 0 },
        convergenceMs: 90,
        lagMs: { 'us-east->eu-west': lag },
      },
    } as unknown as RunResults;
    const comparison = buildComparison([a!, { ...b!, results: multi }]);
    const rows = Object.fromEntries(comparison.replication!.map((row) => [row.name, row.values]));
    expect(rows).toEqual({ conflicts: [null, 12], divergentRows: [null, 0], convergenceMs: [null, 90], 'lag.us-east->eu-west.p99': [null, 300] });
    const md = renderComparisonMd(comparison);
    expect(md).toContain('## Replication');
    expect(md).toMatch(/\| multi-leader conflicts \(pglogical, all kinds\) \| – \| 12 \|/);
  });

  it('has no replication section when no run has such figures', () => {
    expect(buildComparison(threeVariants()).replication).toBeUndefined();
  });
});

describe('comparison.html of regional runs', () => {
  it('has the region and replication sections', async () => {
    const { renderComparisonHtml } = await import('../../../src/harness/compare/render-comparison-html.ts');
    const [a, b] = threeVariants();
    const multi = {
      ...withRegions(b!.results, 4),
      multiLeader: { conflicts: { total: 3 }, divergence: { rows: 0 }, convergenceMs: 50, lagMs: {} },
    } as unknown as RunResults;
    const page = renderComparisonHtml(buildComparison([{ ...a!, results: withRegions(a!.results, 170) }, { ...b!, results: multi }]), []);
    expect(page).toContain('<section id="regions">');
    expect(page).toContain('eu-west: Latency p50 (ms)');
    expect(page).toContain('<section id="replication">');
  });
});

describe('check counts by client region in a comparison', () => {
  const lostWrites = (us: number, eu: number) => ({
    verdict: us + eu > 0 ? ('invalid' as const) : ('valid' as const),
    counts: { acknowledged: 100, lost: us + eu, rpoMs: 0, 'acknowledged@us-east': 50, 'acknowledged@eu-west': 50, 'lost@us-east': us, 'lost@eu-west': eu },
    examples: [],
    explanation: 'lost-writes',
  });
  const [a, b] = threeVariants();
  const comparison = buildComparison([
    { ...a!, results: { ...a!.results, checks: { ...a!.results.checks, 'lost-writes': lostWrites(1, 3) } } },
    { ...b!, results: { ...b!.results, checks: { ...b!.results.checks, 'lost-writes': lostWrites(0, 0) } } },
  ]);
  const rows = comparison.checks.find((check) => check.check === 'lost-writes')!.counts;

  it('labels `lost@eu-west` "lost (eu-west)": a count, lower is better, not a key count', () => {
    const eu = rows.find((row) => row.name === 'lost@eu-west')!;
    expect(eu).toEqual({ name: 'lost@eu-west', label: 'lost (eu-west)', unit: 'count', better: 'lower', key: false, values: [3, 0] });
    expect(rows.find((row) => row.name === 'acknowledged@us-east')).toMatchObject({ label: 'acknowledged (us-east)', better: 'none' });
  });

  it('lists them under the check in comparison.md and comparison.html, and leaves the verdict matrix to the totals', async () => {
    const md = renderComparisonMd(comparison);
    expect(md).toMatch(/\| lost \(eu-west\) \| 3 \| 0 \|/);
    expect(md).not.toMatch(/INVALID\*\*: [^|]*eu-west/);
    const { renderComparisonHtml } = await import('../../../src/harness/compare/render-comparison-html.ts');
    expect(renderComparisonHtml(comparison, [])).toContain('lost (eu-west)');
  });
});

describe('labelOfCount', () => {
  it('reads a per-region count as "name (region)" and leaves other names alone', async () => {
    const { labelOfCount, unitOfCount } = await import('../../../src/harness/compare/check-counts.ts');
    expect(labelOfCount('violations@us-east')).toBe('violations (us-east)');
    expect(labelOfCount('readsChecked.replica1')).toBe('readsChecked.replica1');
    expect(labelOfCount('rpoMs')).toBe('rpoMs');
    expect(unitOfCount('rpoMs@eu-west')).toBe('ms');
    expect(unitOfCount('lost@eu-west')).toBe('count');
  });

  it('judges a per-region count by its name, not by its region', async () => {
    const { betterForCount } = await import('../../../src/harness/compare/check-counts.ts');
    expect(betterForCount('acknowledged@lagos')).toBe('none');
    expect(betterForCount('lost@lagos')).toBe('lower');
  });
});
